package io.xenondb.storagenode.basebackup;

import io.xenondb.shared.basebackup.BasebackupInfo;
import io.xenondb.shared.basebackup.IncrementalFormat;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalSegmentName;
import io.xenondb.storagenode.wal.PgWalSegments;
import io.xenondb.storagenode.wal.WalSource;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a base backup as a tar stream (DESIGN.md §2): first the {@link BasebackupInfo} file, then the image's
 * directories and files as they are handed in (for the incremental form also its manifest and relation-file deltas,
 * {@link IncrementalFormat}), then, on {@link #finish}, {@code pg_wal} with whole segments holding the WAL from the
 * image's redo point up to the target LSN, zero after it. Stock PostgreSQL started on a whole backup, without a
 * signal file, recovers exactly to the target and goes on writing WAL there. Files that belong to a running server
 * rather than to the data (pid file, signal files, WAL already in the image) are left out.
 */
public final class BasebackupWriter {
    /** Never part of a base backup: they describe a process, not the database. */
    private static final Set<String> EXCLUDED =
            Set.of("postmaster.pid", "postmaster.opts", "standby.signal", "recovery.signal", "backup_label.old");

    private static final int FILE_MODE = 0600;
    private static final int DIR_MODE = 040700;

    private final TarArchiveOutputStream tar;
    private boolean wroteWalDir;
    private boolean wroteInfo;

    /** A backup written to {@code out}, which is flushed but not closed at the end. */
    public BasebackupWriter(OutputStream out) {
        this.tar = new TarArchiveOutputStream(new NonClosing(out));
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    /** The info file; the first entry of every base backup, so a client knows its kind before anything else. */
    public void info(BasebackupInfo info) throws IOException {
        if (wroteInfo) {
            throw new IllegalStateException("the info file is written once");
        }
        wroteInfo = true;
        byte[] bytes = info.toBytes();
        put(BasebackupInfo.FILE, bytes.length, new ByteArrayInputStream(bytes));
    }

    /** A directory of the image ('/'-separated path relative to the data directory). */
    public void directory(String path) throws IOException {
        if (path.startsWith("pg_wal/")) {
            return;
        }
        wroteWalDir |= path.equals("pg_wal");
        putDirectory(path);
    }

    /** Whether a file of the image goes into a base backup (and into an incremental manifest). */
    public static boolean includes(String path) {
        return !EXCLUDED.contains(path) && !path.startsWith("pg_wal/");
    }

    /** A file of the image, {@code size} bytes read from {@code content}. */
    public void file(String path, long size, InputStream content) throws IOException {
        if (includes(path)) {
            put(path, size, content);
        }
    }

    /** The incremental manifest: every directory and file of the image the backup brings the client to. */
    public void manifest(List<String> directories, List<String> files) throws IOException {
        List<IncrementalFormat.ManifestEntry> entries = new ArrayList<>();
        directories.stream()
                .filter(d -> !d.startsWith("pg_wal/"))
                .forEach(d -> entries.add(new IncrementalFormat.ManifestEntry(true, d)));
        files.stream()
                .filter(BasebackupWriter::includes)
                .forEach(f -> entries.add(new IncrementalFormat.ManifestEntry(false, f)));
        byte[] bytes = IncrementalFormat.manifest(entries);
        put(IncrementalFormat.MANIFEST, bytes.length, new ByteArrayInputStream(bytes));
    }

    /** The changed blocks of a relation file the client holds (see {@link IncrementalFormat}). */
    public void delta(String path, long newSize, int[] blocks, InputStream pages) throws IOException {
        if (!includes(path)) {
            return;
        }
        TarArchiveEntry entry = new TarArchiveEntry(IncrementalFormat.DELTA_PREFIX + path);
        entry.setMode(FILE_MODE);
        entry.setSize(IncrementalFormat.deltaSize(blocks.length));
        tar.putArchiveEntry(entry);
        IncrementalFormat.writeDelta(tar, newSize, blocks, pages);
        tar.closeArchiveEntry();
    }

    private void put(String path, long size, InputStream content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(path);
        entry.setMode(FILE_MODE);
        entry.setSize(size);
        tar.putArchiveEntry(entry);
        long copied = content.transferTo(tar);
        if (copied != size) {
            throw new IOException("image file " + path + " has " + copied + " bytes, expected " + size);
        }
        tar.closeArchiveEntry();
    }

    /**
     * Adds the WAL and ends the archive.
     *
     * @param wal the timeline's history, holding at least {@code [segment start of redoLsn, target)}
     */
    public void finish(WalSource wal, Lsn redoLsn, Lsn target) throws IOException {
        if (!wroteWalDir) {
            putDirectory("pg_wal");
        }
        if (!wroteInfo) {
            throw new IllegalStateException("a base backup starts with its info file");
        }
        putDirectory("pg_wal/archive_status");
        ByteBuffer segment = ByteBuffer.allocate((int) Lsn.WAL_SEGMENT_SIZE);
        for (long segNo = PgWalSegments.firstSegment(redoLsn); segNo <= PgWalSegments.lastSegment(target); segNo++) {
            PgWalSegments.fillSegment(wal, segNo, target, segment);
            TarArchiveEntry entry = new TarArchiveEntry("pg_wal/" + new WalSegmentName(1, segNo));
            entry.setMode(FILE_MODE);
            entry.setSize(segment.remaining());
            tar.putArchiveEntry(entry);
            Channels.newChannel(tar).write(segment);
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.close();
    }

    private void putDirectory(String path) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(path + "/");
        entry.setMode(DIR_MODE);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    /** Lets the tar stream close without closing the caller's stream. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
