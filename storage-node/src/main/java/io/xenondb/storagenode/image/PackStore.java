package io.xenondb.storagenode.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Append-once pack files of pages, {@code packs/<seq as 16 hex digits>.pack}: a sequence of entries, each the
 * page's SHA-256 followed by the 8 KiB page, so the hash-to-location index can be rebuilt from the packs alone.
 * A pack is written under a temp name and renamed once fsynced; after that it never changes (it may be deleted
 * or replaced by a compacted pack under a new number). Changes must be serialized by the caller
 * ({@link ImageStore}'s write lock); reads may run in parallel with each other.
 */
final class PackStore implements AutoCloseable {
    static final int ENTRY = PageHash.BYTES + RelationFiles.PAGE_SIZE;
    private static final String SUFFIX = ".pack";

    /** Where a page is: pack number and byte offset of its entry. */
    record Location(long pack, long offset) {}

    private final Path dir;
    private final Map<PageHash, Location> index = new HashMap<>();
    private final TreeMap<Long, List<PageHash>> packs = new TreeMap<>();
    private final Map<Long, FileChannel> readers = new ConcurrentHashMap<>();
    private final AtomicLong nextSeq = new AtomicLong(1);

    PackStore(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(DurableFiles.TEMP_SUFFIX)) {
                    Files.delete(file); // a pack that was never published
                } else if (name.endsWith(SUFFIX)) {
                    load(Long.parseUnsignedLong(name.substring(0, name.length() - SUFFIX.length()), 16), file);
                }
            }
        }
        nextSeq.set(packs.isEmpty() ? 1 : packs.lastKey() + 1);
    }

    private void load(long seq, Path file) throws IOException {
        List<PageHash> hashes = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long entries = channel.size() / ENTRY; // published packs are whole; ignore a torn tail all the same
            ByteBuffer hash = ByteBuffer.allocate(PageHash.BYTES);
            for (long i = 0; i < entries; i++) {
                hash.clear();
                readFully(channel, hash, i * ENTRY);
                hash.flip();
                PageHash h = PageHash.read(hash);
                hashes.add(h);
                index.putIfAbsent(h, new Location(seq, i * ENTRY));
            }
        }
        packs.put(seq, hashes);
    }

    /** The file name of the pack that serves {@code hash}, or null if no pack holds it. */
    String fileOf(PageHash hash) {
        Location location = index.get(hash);
        return location == null ? null : fileName(location.pack());
    }

    boolean contains(PageHash hash) {
        return index.containsKey(hash);
    }

    Set<PageHash> hashes() {
        return index.keySet();
    }

    /** A new pack being written; {@link Writer#publish()} makes its pages part of the store. */
    Writer newWriter() throws IOException {
        long seq = nextSeq.getAndIncrement();
        return new Writer(seq, dir.resolve(fileName(seq) + DurableFiles.TEMP_SUFFIX));
    }

    /** Reads the page stored under {@code hash}. */
    Optional<byte[]> read(PageHash hash) throws IOException {
        Location location = index.get(hash);
        if (location == null) {
            return Optional.empty();
        }
        FileChannel channel = readers.get(location.pack());
        if (channel == null) {
            FileChannel opened = FileChannel.open(dir.resolve(fileName(location.pack())), StandardOpenOption.READ);
            channel = readers.putIfAbsent(location.pack(), opened);
            if (channel == null) {
                channel = opened;
            } else {
                opened.close();
            }
        }
        ByteBuffer page = ByteBuffer.allocate(RelationFiles.PAGE_SIZE);
        readFully(channel, page, location.offset() + PageHash.BYTES);
        return Optional.of(page.array());
    }

    /**
     * Frees the pages not in {@code live}: a pack with no live page is deleted; one with less than half live is
     * rewritten as a new pack with only its live pages (published before the old one is deleted).
     */
    void retainOnly(Set<PageHash> live) throws IOException {
        for (long seq : new ArrayList<>(packs.keySet())) {
            List<PageHash> entries = packs.get(seq);
            List<PageHash> kept = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                PageHash h = entries.get(i);
                if (live.contains(h) && new Location(seq, (long) i * ENTRY).equals(index.get(h))) {
                    kept.add(h);
                }
            }
            if (kept.size() == entries.size()) {
                continue;
            }
            if (!kept.isEmpty() && kept.size() * 2 >= entries.size()) {
                continue; // mostly live: rewriting would cost more than the space it frees
            }
            if (!kept.isEmpty()) {
                Writer writer = newWriter();
                for (PageHash h : kept) {
                    writer.add(h, read(h).orElseThrow());
                }
                kept.forEach(index::remove); // so that publishing points them at the new pack
                writer.publish();
            }
            removePack(seq);
        }
    }

    private void removePack(long seq) throws IOException {
        List<PageHash> entries = packs.remove(seq);
        for (int i = 0; i < entries.size(); i++) {
            index.remove(entries.get(i), new Location(seq, (long) i * ENTRY));
        }
        FileChannel reader = readers.remove(seq);
        if (reader != null) {
            reader.close();
        }
        Files.deleteIfExists(dir.resolve(fileName(seq)));
        DurableFiles.fsync(dir);
    }

    long physicalSize() throws IOException {
        long size = 0;
        for (long seq : packs.keySet()) {
            size += Files.size(dir.resolve(fileName(seq)));
        }
        return size;
    }

    int packCount() {
        return packs.size();
    }

    @Override
    public void close() throws IOException {
        for (FileChannel channel : readers.values()) {
            channel.close();
        }
        readers.clear();
    }

    static String fileName(long seq) {
        return String.format("%016X", seq) + SUFFIX;
    }

    private static void readFully(FileChannel channel, ByteBuffer dst, long position) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, at);
            if (n < 0) {
                throw new IOException("pack ends at " + at + " (expected " + dst.remaining() + " more bytes)");
            }
            at += n;
        }
    }

    /** Writes one pack under a temp name; only new pages (not yet stored, not yet added) are written. */
    final class Writer implements AutoCloseable {
        private final long seq;
        private final Path temp;
        private final FileChannel channel;
        private final List<PageHash> added = new ArrayList<>();
        private final Set<PageHash> addedSet = new HashSet<>();
        private boolean done;

        private Writer(long seq, Path temp) throws IOException {
            this.seq = seq;
            this.temp = temp;
            this.channel = FileChannel.open(
                    temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
        }

        /** Whether the page is stored already or pending in this pack. */
        boolean has(PageHash hash) {
            return addedSet.contains(hash) || index.containsKey(hash);
        }

        boolean isPending(PageHash hash) {
            return addedSet.contains(hash);
        }

        void add(PageHash hash, byte[] page) throws IOException {
            if (!addedSet.add(hash)) {
                return;
            }
            ByteBuffer entry = ByteBuffer.allocate(ENTRY);
            hash.write(entry);
            entry.put(page, 0, RelationFiles.PAGE_SIZE).flip();
            while (entry.hasRemaining()) {
                channel.write(entry);
            }
            added.add(hash);
        }

        /** Reads back a page added to this pack and not yet published. */
        byte[] readPending(PageHash hash) throws IOException {
            int i = added.indexOf(hash);
            ByteBuffer page = ByteBuffer.allocate(RelationFiles.PAGE_SIZE);
            readFully(channel, page, (long) i * ENTRY + PageHash.BYTES);
            return page.array();
        }

        Set<PageHash> pending() {
            return addedSet;
        }

        /** fsync, rename to the final name, index the pages. A pack with no page is simply dropped. */
        void publish() throws IOException {
            done = true;
            if (added.isEmpty()) {
                channel.close();
                Files.deleteIfExists(temp);
                return;
            }
            channel.force(true);
            channel.close();
            DurableFiles.publish(temp, dir.resolve(fileName(seq)));
            for (int i = 0; i < added.size(); i++) {
                index.putIfAbsent(added.get(i), new Location(seq, (long) i * ENTRY));
            }
            packs.put(seq, List.copyOf(added));
        }

        @Override
        public void close() throws IOException {
            if (!done) {
                done = true;
                channel.close();
                Files.deleteIfExists(temp);
            }
        }
    }
}
