package io.xenondb.walnode;

import com.google.protobuf.ByteString;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.pgruntime.InitdbOptions;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.pgruntime.PostgresCluster;
import io.xenondb.pgruntime.StopMode;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalSegmentName;
import io.xenondb.shared.wal.read.WalReader;
import io.xenondb.shared.wal.read.WalSegmentFiles;
import io.xenondb.shared.wal.record.DecodedRecord;
import io.xenondb.walnode.consensus.message.AppendRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Real WAL for tests, made once per JVM by the bundled PostgreSQL 17: a couple of MiB of inserts, an index and
 * full-page images after a checkpoint. The WAL node's file store accepts only WAL, in whole records, so appends in
 * tests carry these bytes, cut at record ends as a WAL proposer cuts them.
 */
final class PgWal {
    /** A piece of the WAL {@code [begin, end)} ending at a record end. */
    record Chunk(Lsn begin, Lsn end, ByteString bytes) {
        long size() {
            return bytes.size();
        }
    }

    private static PgWal sample;

    private final Lsn start;
    private final List<Lsn> recordEnds;
    private final ByteString bytes;

    private PgWal(Lsn start, List<Lsn> recordEnds, ByteString bytes) {
        this.start = start;
        this.recordEnds = recordEnds;
        this.bytes = bytes;
    }

    /** The sample, made on first use (a few seconds). */
    static synchronized PgWal sample() {
        if (sample == null) {
            sample = make();
        }
        return sample;
    }

    /** Where the sample starts: a record boundary, usable as a timeline's start LSN. */
    Lsn start() {
        return start;
    }

    /** The end of the last record. */
    Lsn end() {
        return recordEnds.getLast();
    }

    /** The end of the last whole record at or before {@code lsn}: where a WAL cut at {@code lsn} stays intact. */
    Lsn lastRecordEndAtOrBefore(Lsn lsn) {
        Lsn result = start;
        for (Lsn end : recordEnds) {
            if (end.isAfter(lsn)) {
                break;
            }
            result = end;
        }
        return result;
    }

    /** The bytes of {@code [from, to)}. */
    ByteString bytes(Lsn from, Lsn to) {
        return bytes.substring((int) from.minus(start), (int) to.minus(start));
    }

    /** The whole sample cut into consecutive pieces of at most {@code maxBytes}, each ending at a record end. */
    List<Chunk> chunks(int maxBytes) {
        List<Chunk> chunks = new ArrayList<>();
        Lsn begin = start;
        Lsn last = start;
        for (Lsn end : recordEnds) {
            if (end.minus(begin) > maxBytes && last.isAfter(begin)) {
                chunks.add(chunk(begin, last));
                begin = last;
            }
            last = end;
        }
        if (last.isAfter(begin)) {
            chunks.add(chunk(begin, last));
        }
        return chunks;
    }

    /** Reads the sample from its start in pieces that end at record ends. */
    Cursor cursor() {
        return new Cursor();
    }

    /** Consecutive pieces of the sample, as a proposer streams them. */
    final class Cursor {
        private Lsn position = start;

        /** The next piece: as many whole records as fit in {@code maxBytes} (at least one). */
        ByteString next(int maxBytes) {
            Lsn end = null;
            for (Lsn recordEnd : recordEnds) {
                if (!recordEnd.isAfter(position)) {
                    continue;
                }
                if (end != null && recordEnd.minus(position) > maxBytes) {
                    break;
                }
                end = recordEnd;
            }
            if (end == null) {
                throw new IllegalStateException("the sample WAL ends at " + position);
            }
            ByteString piece = bytes(position, end);
            position = end;
            return piece;
        }

        Lsn position() {
            return position;
        }
    }

    private Chunk chunk(Lsn begin, Lsn end) {
        if (end.minus(begin) > AppendRequest.MAX_WAL_BYTES) {
            throw new IllegalStateException("a record of the sample is larger than an append: " + begin + ".." + end);
        }
        return new Chunk(begin, end, bytes(begin, end));
    }

    private static PgWal make() {
        Path dir = Path.of("target", "pg-wal-sample", "pg-" + UUID.randomUUID()).toAbsolutePath();
        try {
            Lsn start;
            try (PostgresCluster cluster =
                    PostgresCluster.initdb(PostgresBinaries.bundled(), dir, InitdbOptions.defaults())) {
                cluster.writeConfig(Map.of(
                        "wal_level", "replica",
                        "full_page_writes", "on",
                        "wal_keep_size", "1GB",
                        "autovacuum", "off",
                        "fsync", "off",
                        "synchronous_commit", "off"));
                cluster.start(FreePorts.allocate(), Duration.ofSeconds(60));
                try (Connection c = DriverManager.getConnection(cluster.jdbcUrl("postgres"), cluster.superuser(), "");
                        Statement s = c.createStatement()) {
                    start = lsn(s, "select pg_current_wal_insert_lsn()");
                    s.execute("create table t (id int primary key, v text)");
                    s.execute("insert into t select g, md5(g::text) from generate_series(1, 12000) g");
                    s.execute("checkpoint");
                    s.execute("update t set v = v || 'x' where id % 50 = 0");
                }
                cluster.stop(StopMode.FAST, Duration.ofSeconds(60));
            }
            Path pgWal = dir.resolve("pg_wal");
            List<Lsn> ends = new ArrayList<>();
            WalSegmentFiles files = WalSegmentFiles.scan(List.of(pgWal), Optional.of(1L));
            try (WalReader reader = WalReader.open(files, start)) {
                Optional<DecodedRecord> record;
                while ((record = reader.next()).isPresent()) {
                    ends.add(record.get().endLsn());
                }
            }
            return new PgWal(start, List.copyOf(ends), ByteString.copyFrom(read(pgWal, start, ends.getLast())));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("making sample WAL with PostgreSQL 17 failed", e);
        } finally {
            delete(dir);
            delete(Path.of(dir + ".log"));
        }
    }

    private static Lsn lsn(Statement s, String query) throws SQLException {
        try (ResultSet result = s.executeQuery(query)) {
            result.next();
            return Lsn.parse(result.getString(1));
        }
    }

    private static byte[] read(Path pgWal, Lsn from, Lsn to) throws IOException {
        byte[] out = new byte[(int) to.minus(from)];
        long pos = from.value();
        while (pos < to.value()) {
            Lsn at = Lsn.of(pos);
            int n = (int) Math.min(to.value() - pos, Lsn.WAL_SEGMENT_SIZE - at.segmentOffset());
            byte[] segment =
                    Files.readAllBytes(pgWal.resolve(WalSegmentName.of(1, at).toString()));
            System.arraycopy(segment, (int) at.segmentOffset(), out, (int) (pos - from.value()), n);
            pos += n;
        }
        return out;
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
