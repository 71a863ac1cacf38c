package io.xenondb.storagenode.replay;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.read.WalReader;
import io.xenondb.shared.wal.read.WalSegmentFiles;
import io.xenondb.shared.wal.record.DecodedRecord;
import io.xenondb.storagenode.wal.WalSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * The WAL in a directory of PostgreSQL segment files (timeline 1), such as initdb's {@code pg_wal}: readable from
 * the start of its first segment to the end of the last whole record, found by decoding the segments once.
 */
public final class SegmentFileWalSource implements WalSource {
    private final WalSegmentFiles files;
    private final Lsn end;

    private SegmentFileWalSource(WalSegmentFiles files, Lsn end) {
        this.files = files;
        this.end = end;
    }

    /** The segments in {@code pgWalDir}; the end is found by decoding every record from the first segment. */
    public static SegmentFileWalSource open(Path pgWalDir) {
        WalSegmentFiles files = WalSegmentFiles.scan(List.of(pgWalDir), Optional.of(1L));
        Lsn end = files.firstLsn();
        try (WalReader reader = WalReader.open(files, files.firstLsn())) {
            for (Optional<DecodedRecord> r = reader.next(); r.isPresent(); r = reader.next()) {
                end = r.get().endLsn();
            }
        }
        return new SegmentFileWalSource(files, end);
    }

    @Override
    public Lsn start() {
        return files.firstLsn();
    }

    @Override
    public Lsn end() {
        return end;
    }

    @Override
    public void read(Lsn lsn, ByteBuffer dst) throws IOException {
        Lsn last = lsn.plus(dst.remaining());
        if (lsn.isBefore(start()) || last.isAfter(end)) {
            throw new IllegalArgumentException(
                    "WAL " + lsn + " to " + last + ": outside the held WAL " + start() + " to " + end);
        }
        Lsn at = lsn;
        while (dst.hasRemaining()) {
            WalSegmentFiles.SegmentFile file = files.segment(at.segmentNumber())
                    .orElseThrow(() -> new XenonException(ErrorCode.NOT_FOUND, "WAL segment of " + lsn + ": missing"));
            int n = (int) Math.min(dst.remaining(), Lsn.WAL_SEGMENT_SIZE - at.segmentOffset());
            ByteBuffer part = dst.slice(dst.position(), n);
            try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
                long pos = at.segmentOffset();
                while (part.hasRemaining()) {
                    if (channel.read(part, pos + part.position()) < 0) {
                        throw new IOException(file.path() + " ends before " + at.plus(part.position()));
                    }
                }
            }
            dst.position(dst.position() + n);
            at = at.plus(n);
        }
    }
}
