package io.xenondb.compute.walproposer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.read.WalReader;
import io.xenondb.shared.wal.read.WalSegmentFiles;
import io.xenondb.shared.wal.record.DecodedRecord;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The framer against WAL made by a real PostgreSQL 17 (big records across pages, full-page images, a WAL
 * switch): fed in chunks of any size, it hands on exactly the stream's bytes, cut only at record ends.
 */
@Tag("wal-service")
class WholeRecordFramerIT {
    private static TestCompute postgres;
    private static Lsn start;
    private static ByteString wal;
    private static Set<Lsn> recordEnds;
    private static Lsn lastRecordEnd;

    @BeforeAll
    static void makeWal() throws Exception {
        // No proposer here: COMMIT must not wait for one.
        postgres = TestCompute.start(Path.of("target", "framer-it"), Map.of("synchronous_standby_names", ""));
        start = postgres.firstSegmentStart();
        try (Connection c = postgres.connect();
                Statement s = c.createStatement()) {
            s.execute("create table t (id int, payload text)");
            s.execute("alter table t alter column payload set storage external");
            s.execute("insert into t select g, repeat(md5(g::text), 20) from generate_series(1, 2000) g");
            s.execute("checkpoint");
            s.execute("update t set payload = payload || 'x' where id % 7 = 0");
            s.execute("insert into t values (0, repeat('y', 100000))");
            s.execute("select pg_switch_wal()");
            s.execute("insert into t select g, md5(g::text) from generate_series(1, 500) g");
        }
        Lsn end = postgres.query("select pg_current_wal_flush_lsn()");
        wal = new PgWalFiles(postgres.pgWal(), 1).read(start, end);
        recordEnds = new HashSet<>();
        try (WalReader reader =
                WalReader.open(WalSegmentFiles.scan(List.of(postgres.pgWal()), Optional.of(1L)), start)) {
            Optional<DecodedRecord> record;
            while ((record = reader.next()).isPresent()
                    && !record.get().endLsn().isAfter(end)) {
                recordEnds.add(record.get().endLsn());
                lastRecordEnd = record.get().endLsn();
            }
        }
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void handsOnTheStreamCutOnlyAtRecordEnds() {
        for (long seed = 1; seed <= 3; seed++) {
            Random random = new Random(seed);
            WholeRecordFramer framer = new WholeRecordFramer(start);
            ByteString out = ByteString.EMPTY;
            int chunks = 0;
            int offset = 0;
            while (offset < wal.size()) {
                int size = Math.min(wal.size() - offset, 1 + random.nextInt(random.nextBoolean() ? 100 : 200_000));
                ByteString piece = framer.accept(
                        start.plus(offset), wal.substring(offset, offset + size).asReadOnlyByteBuffer());
                offset += size;
                if (!piece.isEmpty()) {
                    chunks++;
                    out = out.concat(piece);
                    assertThat(recordEnds).as("cut at %s", framer.forwarded()).contains(framer.forwarded());
                }
                assertThat(start.plus(out.size())).isEqualTo(framer.forwarded());
            }
            assertThat(framer.received()).isEqualTo(start.plus(wal.size()));
            assertThat(framer.forwarded()).isEqualTo(lastRecordEnd);
            assertThat(out.equals(wal.substring(0, out.size()))).isTrue();
            assertThat(chunks).isGreaterThan(10);
        }
    }

    @Test
    void aGapOrOverlapIsATypedError() {
        WholeRecordFramer framer = new WholeRecordFramer(start);
        framer.accept(start, wal.substring(0, 1000).asReadOnlyByteBuffer());
        assertThatThrownBy(() -> framer.accept(start.plus(1008), ByteBuffer.wrap(new byte[8])))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("replication data at " + start.plus(1008) + " (expected: " + start.plus(1000))
                .satisfies(e -> assertThat(((XenonException) e).code()).isEqualTo(ErrorCode.INVALID_LSN));
    }

    @Test
    void damagedWalIsATypedErrorAndNothingPastTheDamageIsHandedOn() {
        byte[] bytes = wal.substring(0, 200_000).toByteArray();
        List<Lsn> ends = new ArrayList<>(recordEnds);
        ends.sort(null);
        // Flip a byte inside the 50th record: its CRC no longer matches.
        Lsn recordStart = ends.get(48);
        int at = (int) recordStart.minus(start) + 30;
        bytes[at] ^= 0x5A;
        WholeRecordFramer framer = new WholeRecordFramer(start);
        assertThatThrownBy(() -> framer.accept(start, ByteBuffer.wrap(bytes)))
                .isInstanceOf(XenonException.class)
                .satisfies(e -> assertThat(((XenonException) e).code()).isEqualTo(ErrorCode.WAL_CORRUPT));
        assertThat(framer.forwarded()).isEqualTo(start);
    }
}
