package io.xenondb.compute.start;

import io.xenondb.shared.basebackup.IncrementalFormat;
import io.xenondb.shared.error.XenonException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Applies the incremental-only entries of a base backup ({@link IncrementalFormat}) to a data directory that holds
 * a copy of the base image: relation-file deltas, then, at the end, removal of what the manifest no longer lists.
 */
final class IncrementalApply {
    private final Path root;
    private Set<String> listed;

    IncrementalApply(Path root) {
        this.root = root;
    }

    void manifest(byte[] bytes) throws IOException {
        try {
            listed = new HashSet<>();
            IncrementalFormat.parseManifest(bytes).forEach(e -> listed.add(e.path()));
        } catch (XenonException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Cuts or extends the held file to its new size and writes the changed blocks. */
    void delta(String path, InputStream in, long entrySize) throws IOException {
        Path file = BasebackupFetcher.inside(root, path);
        if (!Files.isRegularFile(file)) {
            throw new IOException("a delta for " + path + ", which the cached image does not hold");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            IncrementalFormat.readDelta(in, entrySize, new IncrementalFormat.DeltaTarget() {
                @Override
                public void size(long newSize) throws IOException {
                    if (channel.size() > newSize) {
                        channel.truncate(newSize);
                    } else if (channel.size() < newSize) {
                        // Extend now: every new block is in the delta, so no hole is left behind.
                        channel.write(ByteBuffer.allocate(1), newSize - 1);
                    }
                }

                @Override
                public void block(long blockNumber, byte[] page) throws IOException {
                    ByteBuffer buffer = ByteBuffer.wrap(page);
                    long position = blockNumber * IncrementalFormat.BLOCK_SIZE;
                    while (buffer.hasRemaining()) {
                        position += channel.write(buffer, position);
                    }
                }
            });
        } catch (XenonException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Removes the files and directories of the base image that the new image no longer has (pg_wal aside). */
    void removeWhatIsGone() throws IOException {
        if (listed == null) {
            throw new IOException("the incremental base backup has no " + IncrementalFormat.MANIFEST);
        }
        List<Path> all;
        try (Stream<Path> paths = Files.walk(root)) {
            all = paths.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            String rel = root.relativize(p).toString();
            boolean keep = rel.isEmpty() || rel.equals("pg_wal") || rel.startsWith("pg_wal/") || listed.contains(rel);
            if (!keep) {
                Files.delete(p);
            }
        }
    }
}
