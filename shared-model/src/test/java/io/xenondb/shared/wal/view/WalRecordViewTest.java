package io.xenondb.shared.wal.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalBuilder;
import io.xenondb.shared.wal.WalDecodeException;
import io.xenondb.shared.wal.WalDecodeException.Reason;
import io.xenondb.shared.wal.record.DecodedRecord;
import io.xenondb.shared.wal.record.ForkNumber;
import io.xenondb.shared.wal.record.RelFileLocator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class WalRecordViewTest {
    static final Lsn LSN = Lsn.parse("0/3000040");

    static DecodedRecord record(int rmid, int info, long xid, Consumer<ByteBuffer> main) {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        main.accept(b);
        byte[] data = Arrays.copyOf(b.array(), b.position());
        return DecodedRecord.decode(LSN, LSN.plus(0x100), WalBuilder.encode(0, xid, rmid, info, List.of(), data));
    }

    static WalRecordView view(DecodedRecord record) {
        return WalRecordView.of(record).orElseThrow();
    }

    /** Microseconds since 2000-01-01 for {@code instant}. */
    static long pgMicros(Instant instant) {
        return (instant.getEpochSecond() - 946_684_800L) * 1_000_000L + instant.getNano() / 1000;
    }

    @Test
    void checkpoint() {
        Instant time = Instant.parse("2026-11-22T04:00:05Z");
        DecodedRecord r = record(0, 0x10, 0, b -> {
            b.putLong(0x14DAA08L)
                    .putInt(1)
                    .putInt(1)
                    .put((byte) 1)
                    .put(new byte[3])
                    .putInt(1);
            b.putLong((2L << 32) | 738)
                    .putInt(13497)
                    .putInt(1)
                    .putInt(0)
                    .putInt(730)
                    .putInt(1)
                    .putInt(1)
                    .putInt(1);
            b.putInt(0)
                    .putLong(time.getEpochSecond())
                    .putInt(0)
                    .putInt(0)
                    .putInt(0)
                    .putInt(0);
        });
        CheckpointRecord c = (CheckpointRecord) view(r);
        assertThat(c.lsn()).isEqualTo(LSN);
        assertThat(c.shutdown()).isFalse();
        assertThat(c.redo()).isEqualTo(Lsn.parse("0/14DAA08"));
        assertThat(c.timeline()).isEqualTo(1);
        assertThat(c.fullPageWrites()).isTrue();
        assertThat(c.walLevel()).isEqualTo(1);
        assertThat(c.nextXidEpoch()).isEqualTo(2);
        assertThat(c.nextXid32()).isEqualTo(738);
        assertThat(c.nextOid()).isEqualTo(13497);
        assertThat(c.oldestXid()).isEqualTo(730);
        assertThat(c.time()).isEqualTo(time);
        assertThat(((CheckpointRecord) view(record(0, 0x00, 0, b -> b.put(new byte[88])))).shutdown())
                .isTrue();
        expectBadData(record(0, 0x10, 0, b -> b.put(new byte[87])), "CheckPoint needs 88 bytes");
        assertThat(WalRecordView.of(record(0, 0x30, 0, b -> b.putInt(5))))
                .as("NEXTOID")
                .isEmpty();
    }

    @Test
    void smgrCreateAndTruncate() {
        SmgrCreateRecord create = (SmgrCreateRecord) view(
                record(2, 0x10, 0, b -> b.putInt(1663).putInt(5).putInt(16401).putInt(2)));
        assertThat(create.rel()).isEqualTo(new RelFileLocator(1663, 5, 16401));
        assertThat(create.fork()).isEqualTo(ForkNumber.VISIBILITY_MAP);
        expectBadData(
                record(2, 0x10, 0, b -> b.putInt(1663).putInt(5).putInt(16401).putInt(9)), "fork number 9");

        SmgrTruncateRecord truncate = (SmgrTruncateRecord) view(record(
                2,
                0x20,
                0,
                b -> b.putInt(3).putInt(1663).putInt(5).putInt(16395).putInt(7)));
        assertThat(truncate.rel()).isEqualTo(new RelFileLocator(1663, 5, 16395));
        assertThat(truncate.blockNumber()).isEqualTo(3);
        assertThat(truncate.truncatesMain()).isTrue();
        assertThat(truncate.truncatesFsm()).isTrue();
        assertThat(truncate.truncatesVisibilityMap()).isTrue();
        expectBadData(record(2, 0x20, 0, b -> b.putInt(3).putInt(1663)), "needs 4 bytes");
    }

    @Test
    void databaseCreateAndDrop() {
        DbaseCreateRecord walLog =
                (DbaseCreateRecord) view(record(4, 0x10, 0, b -> b.putInt(16402).putInt(1663)));
        assertThat(walLog.strategy()).isEqualTo(DbaseCreateRecord.Strategy.WAL_LOG);
        assertThat(walLog.dbOid()).isEqualTo(16402);
        assertThat(walLog.tablespaceOid()).isEqualTo(1663);
        assertThat(walLog.srcDbOid()).isZero();

        DbaseCreateRecord copy = (DbaseCreateRecord) view(
                record(4, 0x00, 0, b -> b.putInt(16500).putInt(1663).putInt(1).putInt(1663)));
        assertThat(copy.strategy()).isEqualTo(DbaseCreateRecord.Strategy.FILE_COPY);
        assertThat(copy.srcDbOid()).isEqualTo(1);

        DbaseDropRecord drop = (DbaseDropRecord) view(
                record(4, 0x20, 0, b -> b.putInt(16500).putInt(2).putInt(1663).putInt(16600)));
        assertThat(drop.dbOid()).isEqualTo(16500);
        assertThat(drop.tablespaceOids()).containsExactly(1663L, 16600L);
        expectBadData(record(4, 0x20, 0, b -> b.putInt(16500).putInt(1000).putInt(1663)), "ntablespaces 1000");
        expectBadData(record(4, 0x20, 0, b -> b.putInt(16500).putInt(-1)), "ntablespaces -1");
    }

    @Test
    void commitWithDroppedRelationsAndTimestamp() {
        Instant time = Instant.parse("2026-11-22T04:02:31.499242Z");
        DecodedRecord r = record(1, 0x80, 754, b -> {
            b.putLong(pgMicros(time));
            b.putInt(1 | 2 | 4 | 8 | 256); // dbinfo, subxacts, rels, invals, dropped stats
            b.putInt(5).putInt(1663);
            b.putInt(2).putInt(755).putInt(756);
            b.putInt(1).putInt(1663).putInt(5).putInt(16401);
            b.putInt(1).putInt(2).putInt(5).putInt(16398);
            b.putInt(2).put(new byte[32]);
        });
        XactRecord commit = (XactRecord) view(r);
        assertThat(commit.kind()).isEqualTo(XactRecord.Kind.COMMIT);
        assertThat(commit.xid()).isEqualTo(754);
        assertThat(commit.effectiveXid()).isEqualTo(754);
        assertThat(commit.time()).isEqualTo(time);
        assertThat(commit.dbOid()).isEqualTo(5);
        assertThat(commit.subxacts()).containsExactly(755L, 756L);
        assertThat(commit.droppedRels()).containsExactly(new RelFileLocator(1663, 5, 16401));
        assertThat(commit.droppedStatsCount()).isEqualTo(1);
        assertThat(commit.invalidationCount()).isEqualTo(2);
        assertThat(commit.gid()).isEmpty();

        XactRecord simple = (XactRecord) view(record(1, 0x00, 9, b -> b.putLong(pgMicros(time))));
        assertThat(simple.droppedRels()).isEmpty();
        assertThat(simple.xinfo()).isZero();

        expectBadData(record(1, 0x80, 1, b -> b.putLong(0).putInt(4).putInt(3).putInt(1663)), "nrels 3");
        expectBadData(record(1, 0x80, 1, b -> b.putLong(0)), "xinfo needs 4 bytes");
        assertThat(WalRecordView.of(record(1, 0x50, 1, b -> b.putInt(1))))
                .as("ASSIGNMENT")
                .isEmpty();
    }

    @Test
    void abortAndPreparedTransactions() {
        Instant time = Instant.parse("2026-01-01T00:00:00Z");
        XactRecord abort = (XactRecord) view(record(
                1,
                0xA0,
                77,
                b -> b.putLong(pgMicros(time))
                        .putInt(4 | 8)
                        .putInt(1)
                        .putInt(1663)
                        .putInt(5)
                        .putInt(16395)));
        assertThat(abort.kind()).isEqualTo(XactRecord.Kind.ABORT);
        assertThat(abort.kind().isCommit()).isFalse();
        assertThat(abort.droppedRels()).containsExactly(new RelFileLocator(1663, 5, 16395));
        assertThat(abort.invalidationCount())
                .as("aborts carry no invalidations")
                .isZero();

        byte[] gid = "tx-1\0".getBytes(StandardCharsets.UTF_8);
        XactRecord prepared = (XactRecord) view(record(
                1,
                0xB0,
                0,
                b -> b.putLong(pgMicros(time))
                        .putInt(16 | 128 | 32)
                        .putInt(901)
                        .put(gid)
                        .putLong(0x5000000L)
                        .putLong(pgMicros(time))));
        assertThat(prepared.kind()).isEqualTo(XactRecord.Kind.COMMIT_PREPARED);
        assertThat(prepared.effectiveXid()).isEqualTo(901);
        assertThat(prepared.gid()).contains("tx-1");
        assertThat(prepared.originLsn()).contains(Lsn.parse("0/5000000"));
        assertThat(prepared.originTime()).contains(time);
        expectBadData(
                record(
                        1,
                        0xB0,
                        0,
                        b -> b.putLong(0).putInt(16 | 128).putInt(901).put((byte) 'x')),
                "not NUL-terminated");
    }

    @Test
    void relmapUpdate() {
        DecodedRecord r = record(7, 0x00, 0, b -> {
            b.putInt(16402).putInt(1663).putInt(524);
            b.putInt(0x592717).putInt(2).putInt(1259).putInt(16403).putInt(1249).putInt(1249);
            b.put(new byte[524 - 24]);
        });
        RelmapUpdateRecord relmap = (RelmapUpdateRecord) view(r);
        assertThat(relmap.dbOid()).isEqualTo(16402);
        assertThat(relmap.mappings())
                .containsExactly(
                        new RelmapUpdateRecord.Mapping(1259, 16403), new RelmapUpdateRecord.Mapping(1249, 1249));
        assertThat(relmap.mapFile()).hasSize(524);
        assertThat(relmap).isEqualTo(view(r));
        expectBadData(
                record(
                        7,
                        0x00,
                        0,
                        b -> b.putInt(1).putInt(1663).putInt(8).putInt(0x123).putInt(0)),
                "magic");
        expectBadData(
                record(
                        7,
                        0x00,
                        0,
                        b -> b.putInt(1).putInt(1663).putInt(8).putInt(0x592717).putInt(3)),
                "num_mappings 3");
    }

    @Test
    void otherRecordsHaveNoView() {
        assertThat(WalRecordView.of(record(10, 0x00, 1, b -> b.putShort((short) 1))))
                .isEqualTo(Optional.empty());
        assertThat(WalRecordView.of(record(21, 0x00, 1, b -> b.putShort((short) 1))))
                .isEmpty();
    }

    static void expectBadData(DecodedRecord record, String message) {
        assertThatThrownBy(() -> WalRecordView.of(record))
                .isInstanceOfSatisfying(WalDecodeException.class, e -> {
                    assertThat(e.lsn()).isEqualTo(LSN);
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_RECORD_DATA);
                })
                .hasMessageContaining(message);
    }
}
