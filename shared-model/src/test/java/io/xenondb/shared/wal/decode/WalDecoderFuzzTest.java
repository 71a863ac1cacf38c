package io.xenondb.shared.wal.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalBuilder;
import io.xenondb.shared.wal.WalBuilder.Block;
import io.xenondb.shared.wal.WalBuilder.Placed;
import io.xenondb.shared.wal.WalDecodeException;
import io.xenondb.shared.wal.WalDecodeException.Reason;
import io.xenondb.shared.wal.record.BlockReference;
import io.xenondb.shared.wal.record.DecodedRecord;
import io.xenondb.shared.wal.view.WalRecordView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded random and targeted damage: whatever the bytes, only {@link WalDecodeException} escapes, every run
 * ends quickly, no damaged record is ever handed out, and targeted damage is reported at the right LSN. Set
 * {@code -Dwal.fuzz.seed=N} to replay a run; failures print their seed.
 */
@Timeout(60)
class WalDecoderFuzzTest {
    static final Lsn START = Lsn.parse("0/1FD0000");
    static final int PAGE = 8192;

    static WalBuilder sample;
    static byte[] bytes;
    static List<Placed> placed;
    static List<byte[]> originals;

    static long seed() {
        long seed = Long.getLong("wal.fuzz.seed", System.nanoTime());
        System.out.println("wal fuzz seed " + seed);
        return seed;
    }

    @BeforeAll
    static void buildSample() {
        sample = new WalBuilder(START);
        Random random = new Random(7);
        byte[] page = new byte[8192];
        for (int i = 0; i < 300; i++) {
            page[i] = (byte) (i * 7);
        }
        while (sample.position().value() < START.value() + 240_000) {
            switch (random.nextInt(5)) {
                case 0 -> sample.appendMessage(1 + random.nextInt(300));
                case 1 -> sample.appendMessage(2000 + random.nextInt(18000));
                case 2 ->
                    sample.append(10, 0x00, 900, List.of(Block.data(0, 16384, 3, new byte[] {4, 5})), new byte[3]);
                case 3 ->
                    sample.append(0, 0xB0, 0, List.of(Block.pglzImage(0, 16386, 1, page, 300, 7000)), new byte[0]);
                default ->
                    sample.append(1, 0x80, 901, List.of(), new byte[] {
                        1, 2, 3, 4, 5, 6, 7, 8, 4, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0
                    });
            }
        }
        bytes = sample.bytes();
        placed = sample.placed();
        originals = new ArrayList<>();
        for (DecodedRecord r : run(bytes, START, 0, new Random(1)).records) {
            originals.add(r.rawBytes());
        }
        assertThat(originals).hasSize(placed.size());
        assertThat(placed)
                .anySatisfy(p -> assertThat(p.lsn().segmentNumber())
                        .isLessThan(endOfBytes(p).segmentNumber()));
    }

    /** What one decoding run produced. */
    record Run(List<DecodedRecord> records, WalStreamDecoder decoder, WalDecodeException failure) {}

    /** Decodes {@code wal[from..]} in random chunks, drains everything, declares the end of input. */
    static Run run(byte[] wal, Lsn start, int from, Random random) {
        WalStreamDecoder decoder = new WalStreamDecoder(start);
        List<DecodedRecord> records = new ArrayList<>();
        WalDecodeException failure = null;
        try {
            int at = from;
            while (at < wal.length) {
                int n = Math.min(wal.length - at, 1 + random.nextInt(random.nextBoolean() ? 64 : 20000));
                decoder.feed(wal, at, n);
                at += n;
                DecodedRecord r;
                while ((r = decoder.poll()) != null) {
                    records.add(r);
                    touch(r);
                }
            }
            decoder.endOfInput("fuzz input ends");
            DecodedRecord r;
            while ((r = decoder.poll()) != null) {
                records.add(r);
            }
        } catch (WalDecodeException e) {
            failure = e;
        }
        return new Run(records, decoder, failure);
    }

    /** Uses everything a caller may use, so lazy paths (image restore, typed views) are fuzzed too. */
    static void touch(DecodedRecord r) {
        r.recordType();
        r.mainData();
        for (BlockReference b : r.blocks()) {
            b.data();
            if (b.hasImage()) {
                try {
                    b.image().orElseThrow().restorePage();
                } catch (WalDecodeException expected) {
                    // a typed error is fine
                }
            }
        }
        try {
            WalRecordView.of(r);
        } catch (WalDecodeException expected) {
            // a typed error is fine
        }
    }

    /** The LSN of byte {@code index} of a record, skipping the page headers inside it. */
    static Lsn lsnOfRecordByte(Placed p, int index) {
        long pos = p.lsn().value();
        long remaining = index;
        while (true) {
            long onPage = PAGE - pos % PAGE;
            if (remaining < onPage) {
                return Lsn.of(pos + remaining);
            }
            remaining -= onPage;
            pos += onPage;
            pos += pos % WalBuilder.SEGMENT == 0 ? 40 : 24;
        }
    }

    /** The LSN just after a record's last byte (its unaligned end). */
    static Lsn endOfBytes(Placed p) {
        return lsnOfRecordByte(p, p.totalLength() - 1).plus(1);
    }

    static int offset(Lsn lsn) {
        return (int) (lsn.value() - START.value());
    }

    static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Records handed out are exactly the originals, in order, from the first one. */
    static void assertPrefixOfOriginals(Run run, String context) {
        assertThat(run.records.size()).as(context).isLessThanOrEqualTo(originals.size());
        for (int i = 0; i < run.records.size(); i++) {
            assertThat(run.records.get(i).lsn())
                    .as(context)
                    .isEqualTo(placed.get(i).lsn());
            assertThat(run.records.get(i).rawBytes()).as(context).isEqualTo(originals.get(i));
        }
    }

    @Test
    void randomBytesAtRandomStartsOnlyEverRaiseTheTypedError() {
        long seed = seed();
        Random random = new Random(seed);
        for (int i = 0; i < 3000; i++) {
            String context = "seed " + seed + " input " + i;
            long page = (random.nextLong() >>> 24) & ~(PAGE - 1L);
            int offsetInPage = random.nextInt(4) == 0 ? 0 : 40 + 8 * random.nextInt((PAGE - 40) / 8);
            Lsn start = Lsn.of(page + offsetInPage);
            byte[] input = new byte[random.nextInt(40000)];
            switch (random.nextInt(3)) {
                case 0 -> random.nextBytes(input);
                case 1 -> {
                    for (int k = 0; k < input.length / 50; k++) {
                        input[random.nextInt(input.length)] = (byte) random.nextInt();
                    }
                }
                default -> {
                    // Plausible page headers and records with random lengths, to get past the first checks.
                    random.nextBytes(input);
                    for (int at = 0; at + 24 <= input.length; at += PAGE) {
                        System.arraycopy(plausiblePageHeader(page + at - offsetInPage, random), 0, input, at, 24);
                    }
                }
            }
            try {
                Run run = run(input, start, 0, random);
                if (run.failure != null) {
                    assertThat(run.failure.lsn()).as(context).isGreaterThanOrEqualTo(start.pageStart());
                }
            } catch (RuntimeException | Error e) {
                fail(context + ": " + e, e);
            }
        }
    }

    static byte[] plausiblePageHeader(long pagePtr, Random random) {
        java.nio.ByteBuffer h = java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        h.putShort((short) 0xD116)
                .putShort((short) random.nextInt(16))
                .putInt(1)
                .putLong(pagePtr);
        h.putInt(random.nextBoolean() ? random.nextInt(20000) : random.nextInt());
        return h.array();
    }

    @Test
    void everySingleBitFlipIsCaughtOrHarmless() {
        long seed = seed();
        Random random = new Random(seed);
        for (int i = 0; i < 1500; i++) {
            int at = random.nextInt(bytes.length);
            Lsn flipped = START.plus(at);
            String context = "seed " + seed + " flip at " + flipped;
            byte[] damaged = bytes.clone();
            damaged[at] ^= (byte) (1 << random.nextInt(8));
            Run run;
            try {
                run = run(damaged, START, 0, random);
            } catch (RuntimeException | Error e) {
                fail(context + ": " + e, e);
                return;
            }
            assertPrefixOfOriginals(run, context);
            long intact = placed.stream().filter(p -> !p.end().isAfter(flipped)).count();
            assertThat(run.records.size()).as(context).isGreaterThanOrEqualTo((int) intact);
            boolean timelineField = flipped.pageOffset() >= 4 && flipped.pageOffset() < 8;
            boolean infoField = flipped.pageOffset() >= 2 && flipped.pageOffset() < 4;
            if (run.failure != null && timelineField && run.failure.lsn().isAfter(flipped)) {
                // A page claiming a higher timeline is legal on its own; the next page then goes back.
                assertThat(run.failure.problem()).as(context).contains("out-of-sequence timeline");
            } else if (run.failure != null && infoField && run.failure.lsn().isAfter(flipped)) {
                // A page that newly claims XLP_FIRST_IS_OVERWRITE_CONTRECORD makes the reader abandon the record
                // it continues and read a new one right after the header, as PostgreSQL's reader does: the
                // error then names that first record position of the damaged page, and nothing later.
                Lsn afterHeader = flipped.pageStart().isAtSegmentStart(Lsn.WAL_SEGMENT_SIZE)
                        ? flipped.pageStart().plus(40)
                        : flipped.pageStart().plus(24);
                assertThat(run.failure.lsn()).as(context).isEqualTo(afterHeader);
            } else if (run.failure != null) {
                assertThat(run.failure.lsn()).as(context).isLessThanOrEqualTo(flipped);
            } else if (run.records.size() < originals.size()) {
                assertThat(run.decoder.state()).as(context).isEqualTo(WalStreamDecoder.State.END_OF_WAL);
                assertThat(run.decoder.nextRecordLsn()).as(context).isLessThanOrEqualTo(flipped);
            }
        }
    }

    @Test
    void damageInsideARecordIsACrcFailureAtThatRecord() {
        long seed = seed();
        Random random = new Random(seed);
        for (int i = 0; i < 300; i++) {
            int k = random.nextInt(placed.size());
            Placed victim = placed.get(k);
            int index = 24 + random.nextInt(victim.totalLength() - 24);
            Lsn where = lsnOfRecordByte(victim, index);
            String context = "seed " + seed + " record " + victim.lsn() + " byte " + index + " at " + where;
            byte[] damaged = bytes.clone();
            damaged[offset(where)] ^= (byte) (1 + random.nextInt(255));
            Run run = run(damaged, START, 0, random);
            assertThat(run.records).as(context).hasSize(k);
            assertPrefixOfOriginals(run, context);
            assertThat(run.failure).as(context).isNotNull();
            assertThat(run.failure.lsn()).as(context).isEqualTo(victim.lsn());
            assertThat(run.failure.reason()).as(context).isEqualTo(Reason.CRC_MISMATCH);
        }
    }

    @Test
    void truncationAroundEveryPageBoundaryKeepsTheIntactPrefix() {
        int[] deltas = {-25, -24, -8, -1, 0, 1, 8, 23, 24, 25, 39, 40, 41, 100};
        Random random = new Random(3);
        for (int page = 0; page * PAGE < bytes.length; page++) {
            for (int delta : deltas) {
                int cut = page * PAGE + delta;
                if (cut < 0 || cut > bytes.length) {
                    continue;
                }
                Lsn cutLsn = START.plus(cut);
                String context = "cut at " + cutLsn;
                Run run = run(Arrays.copyOf(bytes, cut), START, 0, random);
                assertPrefixOfOriginals(run, context);
                long complete = placed.stream()
                        .filter(p -> !endOfBytes(p).isAfter(cutLsn))
                        .count();
                assertThat(run.records).as(context).hasSize((int) complete);
                Placed cutRecord = placed.stream()
                        .filter(p -> p.lsn().isBefore(cutLsn) && endOfBytes(p).isAfter(cutLsn))
                        .findFirst()
                        .orElse(null);
                boolean onlyZerosFed = cutRecord != null
                        && cutLsn.minus(cutRecord.lsn()) < 24
                        && cutRecord.lsn().pageStart().equals(cutLsn.pageStart())
                        && allZero(bytes, offset(cutRecord.lsn()), offset(cutLsn));
                if (cutRecord == null || onlyZerosFed) {
                    assertThat(run.failure).as(context).isNull();
                } else {
                    assertThat(run.failure).as(context).isNotNull();
                    assertThat(run.failure.reason()).as(context).isEqualTo(Reason.TRUNCATED);
                    assertThat(run.failure.lsn()).as(context).isEqualTo(cutRecord.lsn());
                }
            }
        }
    }

    @Test
    void garbageAfterValidWalIsReportedAfterTheLastGoodRecord() {
        long seed = seed();
        Random random = new Random(seed);
        for (int i = 0; i < 400; i++) {
            int k = random.nextInt(placed.size());
            Placed last = placed.get(k);
            int keep = offset(last.end());
            byte[] input = Arrays.copyOf(bytes, keep + 1 + random.nextInt(30000));
            byte[] garbage = new byte[input.length - keep];
            random.nextBytes(garbage);
            System.arraycopy(garbage, 0, input, keep, garbage.length);
            String context = "seed " + seed + " garbage after " + last.lsn();
            Run run = run(input, START, 0, random);
            assertPrefixOfOriginals(run, context);
            assertThat(run.records).as(context).hasSize(k + 1);
            if (run.failure != null) {
                assertThat(run.failure.lsn()).as(context).isGreaterThanOrEqualTo(last.end());
            }
        }
    }
}
