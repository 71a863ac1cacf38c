package io.xenondb.storagenode.tenant;

import io.xenondb.pgruntime.InitdbOptions;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.pgruntime.PostgresCluster;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.read.WalReader;
import io.xenondb.shared.wal.record.DecodedRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs initdb for a new timeline (Neon's bootstrap) and reads back what the timeline starts with: initdb's WAL
 * from the start of its first segment to the end of its last record, the initdb LSN.
 */
public final class Bootstrap {
    /** The superuser of every Xenon database, as in Neon. */
    public static final String SUPERUSER = "cloud_admin";

    /** initdb's output: its data directory and WAL. */
    record Result(Path dataDir, Lsn walStart, Lsn initdbLsn, ByteBuffer wal) {}

    private Bootstrap() {}

    static Result initdb(PostgresBinaries binaries, Path dataDir) throws IOException {
        PostgresCluster.initdb(binaries, dataDir, InitdbOptions.defaults().withSuperuser(SUPERUSER));
        Path pgWal = dataDir.resolve("pg_wal");
        Lsn end = Lsn.INVALID;
        Lsn start;
        try (WalReader reader = WalReader.open(List.of(pgWal))) {
            start = reader.nextRecordLsn().segmentStart(Lsn.WAL_SEGMENT_SIZE);
            for (Optional<DecodedRecord> r = reader.next(); r.isPresent(); r = reader.next()) {
                end = r.get().endLsn();
            }
        }
        if (!end.isValid()) {
            throw new XenonException(ErrorCode.INTERNAL, "initdb left no WAL in " + pgWal);
        }
        long length = end.minus(start);
        if (length > Integer.MAX_VALUE - 8) {
            throw new XenonException(ErrorCode.INTERNAL, "initdb WAL of " + length + " bytes is too large");
        }
        ByteBuffer wal = ByteBuffer.allocate((int) length);
        for (long segNo = start.segmentNumber(); wal.hasRemaining(); segNo++) {
            Path file = segmentFile(pgWal, segNo);
            try (FileChannel channel = FileChannel.open(file)) {
                int want = (int) Math.min(wal.remaining(), Lsn.WAL_SEGMENT_SIZE);
                ByteBuffer piece = wal.slice(wal.position(), want);
                while (piece.hasRemaining()) {
                    if (channel.read(piece, piece.position()) < 0) {
                        throw new IOException(file + " ends early");
                    }
                }
                wal.position(wal.position() + want);
            }
        }
        wal.flip();
        return new Result(dataDir, start, end, wal);
    }

    private static Path segmentFile(Path pgWal, long segNo) throws IOException {
        String name = new io.xenondb.shared.wal.WalSegmentName(1, segNo).toString();
        try (Stream<Path> files = Files.list(pgWal)) {
            return files.filter(p -> p.getFileName().toString().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IOException("initdb's WAL segment " + name + " is missing in " + pgWal));
        }
    }
}
