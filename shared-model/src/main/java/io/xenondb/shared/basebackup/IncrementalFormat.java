package io.xenondb.shared.basebackup;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The entries only an incremental base backup holds.
 *
 * <ul>
 *   <li>{@value #MANIFEST}: every directory and file of the new image, one per line, {@code d <path>} or
 *       {@code f <path>}, so the client removes what is gone;
 *   <li>{@value #DELTA_PREFIX}{@code <path>}: the changed 8 KiB blocks of a relation file the client holds: the new
 *       file size (u64, big-endian), then per changed block its number (u32) and its {@value #BLOCK_SIZE} bytes,
 *       in ascending block order. The file is cut (or extended) to the new size, then the blocks are written.
 * </ul>
 */
public final class IncrementalFormat {
    /** Lists every path of the image the backup brings the client to. */
    public static final String MANIFEST = "xenon_incremental_manifest";

    /** Prefix of a delta entry's name; the rest is the relation file's path in the data directory. */
    public static final String DELTA_PREFIX = "xenon_delta/";

    /** PostgreSQL's page size. */
    public static final int BLOCK_SIZE = 8192;

    private IncrementalFormat() {}

    /** One path of the manifest. */
    public record ManifestEntry(boolean directory, String path) {}

    /** The manifest's bytes. */
    public static byte[] manifest(List<ManifestEntry> entries) {
        StringBuilder s = new StringBuilder();
        for (ManifestEntry e : entries) {
            if (e.path().contains("\n")) {
                throw invalid("manifest path '" + e.path() + "' (expected: no newline)");
            }
            s.append(e.directory() ? "d " : "f ").append(e.path()).append('\n');
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a manifest. */
    public static List<ManifestEntry> parseManifest(byte[] bytes) {
        List<ManifestEntry> entries = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 3 || (!line.startsWith("d ") && !line.startsWith("f "))) {
                throw invalid("manifest line '" + line + "' (expected: 'd <path>' or 'f <path>')");
            }
            entries.add(new ManifestEntry(line.charAt(0) == 'd', line.substring(2)));
        }
        return entries;
    }

    /** Bytes of a delta entry with {@code blocks} blocks. */
    public static long deltaSize(int blocks) {
        return 8 + (long) blocks * (4 + BLOCK_SIZE);
    }

    /**
     * Writes a delta entry: {@code newSize}, then each block of {@code blocks} (ascending) with its bytes, read in
     * order from {@code pages}.
     */
    public static void writeDelta(OutputStream out, long newSize, int[] blocks, InputStream pages) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeLong(newSize);
        byte[] page = new byte[BLOCK_SIZE];
        for (int block : blocks) {
            if (pages.readNBytes(page, 0, BLOCK_SIZE) != BLOCK_SIZE) {
                throw new IOException("delta block " + block + ": fewer than " + BLOCK_SIZE + " bytes of page data");
            }
            data.writeInt(block);
            data.write(page);
        }
        data.flush();
    }

    /** Receives a delta entry as it is read. */
    public interface DeltaTarget {
        void size(long newSize) throws IOException;

        void block(long blockNumber, byte[] page) throws IOException;
    }

    /**
     * Reads a delta entry of {@code entrySize} bytes from {@code in}: first the new size, then every block in order.
     * A size not of that form, a block beyond the new size or blocks out of order are {@link
     * ErrorCode#INVALID_ARGUMENT}.
     */
    public static void readDelta(InputStream in, long entrySize, DeltaTarget target) throws IOException {
        if (entrySize < 8 || (entrySize - 8) % (4 + BLOCK_SIZE) != 0) {
            throw invalid("delta of " + entrySize + " bytes (expected: 8 + n * " + (4 + BLOCK_SIZE) + ")");
        }
        DataInputStream data = new DataInputStream(in);
        try {
            long newSize = data.readLong();
            if (newSize < 0 || newSize % BLOCK_SIZE != 0) {
                throw invalid("delta file size " + newSize + " (expected: a multiple of " + BLOCK_SIZE + ")");
            }
            target.size(newSize);
            long count = (entrySize - 8) / (4 + BLOCK_SIZE);
            long previous = -1;
            byte[] page = new byte[BLOCK_SIZE];
            for (long i = 0; i < count; i++) {
                long block = Integer.toUnsignedLong(data.readInt());
                if (block <= previous || (block + 1) * BLOCK_SIZE > newSize) {
                    throw invalid("delta block " + block + " after " + previous + " in a file of " + newSize
                            + " bytes (expected: ascending blocks inside the file)");
                }
                data.readFully(page);
                target.block(block, page);
                previous = block;
            }
        } catch (EOFException e) {
            throw invalid("delta shorter than its " + entrySize + " bytes");
        }
    }

    private static XenonException invalid(String what) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, "incremental base backup: " + what);
    }
}
