package io.xenondb.storagenode.basebackup;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalSegmentName;
import io.xenondb.storagenode.wal.PgWalSegments;
import io.xenondb.storagenode.wal.WalSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a base backup as a tar stream (DESIGN.md §2): the image's files, then {@code pg_wal} with whole
 * segments holding the WAL from the image's redo point up to the target LSN, zero after it. Stock PostgreSQL
 * started on the result, without a signal file, recovers exactly to the target and goes on writing WAL there.
 * Files that belong to a running server rather than to the data (pid file, signal files, old WAL) are left out.
 */
public final class BasebackupWriter {
    /** Never part of a base backup: they describe a process, not the database. */
    private static final Set<String> EXCLUDED =
            Set.of("postmaster.pid", "postmaster.opts", "standby.signal", "recovery.signal", "backup_label.old");

    private static final int FILE_MODE = 0600;
    private static final int DIR_MODE = 0700;

    private BasebackupWriter() {}

    /**
     * Writes the backup to {@code out} (not closed).
     *
     * @param files the image's files and directories, in the order to write them
     * @param wal the timeline's history, holding at least {@code [segment start of redoLsn, target)}
     */
    public static void write(
            Iterable<? extends BasebackupEntry> files, WalSource wal, Lsn redoLsn, Lsn target, OutputStream out)
            throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosing(out));
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        boolean wroteWalDir = false;
        for (BasebackupEntry file : files) {
            String path = file.path();
            if (EXCLUDED.contains(path) || path.startsWith("pg_wal/")) {
                continue;
            }
            if (file.isDirectory()) {
                directory(tar, path);
                wroteWalDir |= path.equals("pg_wal");
            } else {
                TarArchiveEntry entry = new TarArchiveEntry(path);
                entry.setMode(FILE_MODE);
                entry.setSize(file.size());
                tar.putArchiveEntry(entry);
                try (InputStream in = file.open()) {
                    long copied = in.transferTo(tar);
                    if (copied != file.size()) {
                        throw new IOException(
                                "image file " + path + " has " + copied + " bytes, expected " + file.size());
                    }
                }
                tar.closeArchiveEntry();
            }
        }
        if (!wroteWalDir) {
            directory(tar, "pg_wal");
        }
        directory(tar, "pg_wal/archive_status");
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
        tar.flush();
    }

    private static void directory(TarArchiveOutputStream tar, String path) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(path + "/");
        entry.setMode(DIR_MODE | 040000);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    /** Lets the tar stream finish without closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
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
