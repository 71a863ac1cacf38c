package io.xenondb.storagenode.basebackup;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalSegmentName;
import io.xenondb.storagenode.wal.PgWalSegments;
import io.xenondb.storagenode.wal.WalSource;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a base backup as a tar stream (DESIGN.md §2): the image's directories and files as they are handed in,
 * then, on {@link #finish}, {@code pg_wal} with whole segments holding the WAL from the image's redo point up to
 * the target LSN, zero after it. Stock PostgreSQL started on the result, without a signal file, recovers exactly
 * to the target and goes on writing WAL there. Files that belong to a running server rather than to the data
 * (pid file, signal files, WAL already in the image) are left out.
 */
public final class BasebackupWriter {
    /** Never part of a base backup: they describe a process, not the database. */
    private static final Set<String> EXCLUDED =
            Set.of("postmaster.pid", "postmaster.opts", "standby.signal", "recovery.signal", "backup_label.old");

    private static final int FILE_MODE = 0600;
    private static final int DIR_MODE = 040700;

    private final TarArchiveOutputStream tar;
    private boolean wroteWalDir;

    /** A backup written to {@code out}, which is flushed but not closed at the end. */
    public BasebackupWriter(OutputStream out) {
        this.tar = new TarArchiveOutputStream(new NonClosing(out));
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    /** A directory of the image ('/'-separated path relative to the data directory). */
    public void directory(String path) throws IOException {
        if (path.startsWith("pg_wal/")) {
            return;
        }
        wroteWalDir |= path.equals("pg_wal");
        putDirectory(path);
    }

    /** A file of the image, {@code size} bytes read from {@code content}. */
    public void file(String path, long size, InputStream content) throws IOException {
        if (EXCLUDED.contains(path) || path.startsWith("pg_wal/")) {
            return;
        }
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

    /** The file naming the LSN a base backup is at ({@code LSN: X/X}); PostgreSQL ignores it. */
    public static final String INFO_FILE = "xenon_basebackup";

    /**
     * Adds the WAL and ends the archive.
     *
     * @param wal the timeline's history, holding at least {@code [segment start of redoLsn, target)}
     */
    public void finish(WalSource wal, Lsn redoLsn, Lsn target) throws IOException {
        if (!wroteWalDir) {
            putDirectory("pg_wal");
        }
        putDirectory("pg_wal/archive_status");
        byte[] info =
                ("LSN: " + target + "\nREDO: " + redoLsn + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        file(INFO_FILE, info.length, new java.io.ByteArrayInputStream(info));
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
