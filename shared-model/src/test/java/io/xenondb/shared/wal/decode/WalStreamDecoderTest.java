package io.xenondb.shared.wal.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalBuilder;
import io.xenondb.shared.wal.WalBuilder.Block;
import io.xenondb.shared.wal.WalBuilder.Placed;
import io.xenondb.shared.wal.WalDecodeException;
import io.xenondb.shared.wal.WalDecodeException.Reason;
import io.xenondb.shared.wal.record.DecodedRecord;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WalStreamDecoderTest {
    /** 1 MiB before a segment boundary, so the sample WAL crosses into the next segment. */
    static final Lsn START = Lsn.parse("0/1F00000");

    /** A WAL sample: records of many sizes, with images, crossing pages and a segment boundary. */
    static WalBuilder sample() {
        WalBuilder wal = new WalBuilder(START);
        Random random = new Random(42);
        byte[] page = new byte[8192];
        for (int i = 0; i < 400; i++) {
            page[i] = (byte) i;
        }
        long boundary = Lsn.parse("0/2000000").value();
        for (int i = 0; wal.position().value() < boundary - 30000; i++) {
            int kind = i % 6;
            switch (kind) {
                case 0 -> wal.appendMessage(1 + random.nextInt(200));
                case 1 -> wal.appendMessage(300 + random.nextInt(3000));
                case 2 ->
                    wal.append(10, 0x00, 800 + i, List.of(Block.data(0, 16384, i, new byte[] {1, 2, 3})), new byte[3]);
                case 3 -> wal.append(0, 0xB0, 0, List.of(Block.image(0, 16385, i, page, 400, 7000)), new byte[0]);
                case 4 -> wal.append(0, 0xB0, 0, List.of(Block.pglzImage(0, 16386, i, page, 400, 7000)), new byte[0]);
                default -> wal.appendMessage(9000 + random.nextInt(20000));
            }
        }
        // Make sure one record straddles the segment boundary at 0/2000000.
        long toBoundary = boundary - wal.position().value();
        wal.appendMessage((int) toBoundary + 500);
        for (int i = 0; i < 20; i++) {
            wal.appendMessage(50 + i * 37);
        }
        return wal;
    }

    static final WalBuilder SAMPLE = sample();
    static final byte[] BYTES = SAMPLE.bytes();

    static int offset(Lsn lsn) {
        return (int) (lsn.value() - START.value());
    }

    /** Feeds {@code wal[from..]} in chunks and collects records until the decoder stops or the input ends. */
    static List<DecodedRecord> decode(WalStreamDecoder decoder, byte[] wal, int from, IntSupplier chunk) {
        List<DecodedRecord> out = new ArrayList<>();
        int at = from;
        while (at < wal.length && decoder.state() == WalStreamDecoder.State.DECODING) {
            int n = Math.min(chunk.getAsInt(), wal.length - at);
            decoder.feed(wal, at, n);
            at += n;
            while (decoder.hasRecord()) {
                out.add(decoder.poll());
            }
        }
        return out;
    }

    static void assertSame(List<DecodedRecord> decoded, List<Placed> expected) {
        assertThat(decoded).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(decoded.get(i).lsn())
                    .as("record %d", i)
                    .isEqualTo(expected.get(i).lsn());
            assertThat(decoded.get(i).endLsn())
                    .as("record %d", i)
                    .isEqualTo(expected.get(i).end());
            assertThat(decoded.get(i).totalLength())
                    .as("record %d", i)
                    .isEqualTo(expected.get(i).totalLength());
        }
    }

    @Test
    void sampleCrossesPagesAndASegment() {
        List<Placed> placed = SAMPLE.placed();
        assertThat(placed)
                .anySatisfy(p ->
                        assertThat(p.lsn().segmentNumber()).isLessThan(p.end().segmentNumber()));
        assertThat(placed).anySatisfy(p -> assertThat(p.totalLength()).isGreaterThan(3 * 8192));
    }

    @Test
    void decodesEveryRecordWhateverTheChunking() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<IntSupplier> chunkings =
                List.of(() -> Integer.MAX_VALUE, () -> 1, () -> 7, () -> 8192, () -> 1 + random.nextInt(20000));
        for (IntSupplier chunking : chunkings) {
            WalStreamDecoder decoder = new WalStreamDecoder(START);
            List<DecodedRecord> records = decode(decoder, BYTES, 0, chunking);
            assertSame(records, SAMPLE.placed());
            assertThat(decoder.state()).as("seed %d", seed).isEqualTo(WalStreamDecoder.State.END_OF_WAL);
            assertThat(decoder.nextRecordLsn())
                    .isEqualTo(SAMPLE.placed().getLast().end());
        }
    }

    @Test
    void contentsSurviveReassembly() {
        List<DecodedRecord> records = decode(new WalStreamDecoder(START), BYTES, 0, () -> 1000);
        DecodedRecord straddling = records.stream()
                .filter(r -> r.rmgrName().equals("LogicalMessage"))
                .filter(r ->
                        r.lsn().segmentNumber() < r.lsn().plus(r.totalLength()).segmentNumber())
                .findFirst()
                .orElseThrow();
        byte[] data = straddling.mainData();
        for (int i = 0; i < data.length; i++) {
            assertThat(data[i]).isEqualTo((byte) (i * 31 + data.length));
        }
        assertThat(records)
                .filteredOn(r -> r.recordType().equals("FPI"))
                .allSatisfy(r -> assertThat(
                                r.blocks().getFirst().image().orElseThrow().restorePage()[399])
                        .isEqualTo((byte) 399));
    }

    @Test
    void startsAtARecordStartARecordEndOrAPageStart() {
        List<Placed> placed = SAMPLE.placed();
        for (int k : new int[] {1, 17, 60, placed.size() - 3}) {
            Placed p = placed.get(k);
            List<DecodedRecord> fromStart = decode(new WalStreamDecoder(p.lsn()), BYTES, offset(p.lsn()), () -> 5000);
            assertSame(fromStart, placed.subList(k, placed.size()));
            Lsn unalignedEnd = placed.get(k - 1).lsn().plus(placed.get(k - 1).totalLength());
            if (!unalignedEnd.isAtPageStart()
                    && unalignedEnd.pageStart().equals(placed.get(k - 1).lsn().pageStart())) {
                List<DecodedRecord> fromEnd =
                        decode(new WalStreamDecoder(unalignedEnd), BYTES, offset(unalignedEnd), () -> 5000);
                assertSame(fromEnd, placed.subList(k, placed.size()));
            }
        }
        // A page start inside a multi-page record: decoding begins with the first record starting after it.
        Placed big = placed.stream()
                .filter(p -> p.totalLength() > 3 * 8192)
                .findFirst()
                .orElseThrow();
        Lsn inside = big.lsn().plus(2 * 8192).pageStart();
        int next = placed.indexOf(big) + 1;
        assertSame(
                decode(new WalStreamDecoder(inside), BYTES, offset(inside), () -> 3000),
                placed.subList(next, placed.size()));
    }

    @Test
    void startLsnInsideAPageHeaderIsRejected() {
        assertThatThrownBy(() -> new WalStreamDecoder(Lsn.parse("0/1FE8010")))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_LSN))
                .hasMessageContaining("0/1FE8010");
        assertThatThrownBy(() -> new WalStreamDecoder(Lsn.parse("0/2000020"))).hasMessageContaining(">= 40");
        assertThat(new WalStreamDecoder(Lsn.parse("0/2000028")).nextRecordLsn()).isEqualTo(Lsn.parse("0/2000028"));
    }

    @Test
    void endOfWalAtAnUnwrittenOrRecycledPage() {
        WalBuilder wal = new WalBuilder(START);
        wal.appendMessage(100);
        // Fill the page exactly: a record of the remaining length (24 header + 5 data header + payload).
        int left = 8192 - wal.position().alignUp(8).pageOffset();
        wal.appendMessage(left - 24 - 5);
        assertThat(wal.position().isAtPageStart()).isTrue();
        byte[] bytes = java.util.Arrays.copyOf(wal.bytes(), wal.bytes().length + 8192);

        WalStreamDecoder zeroPage = new WalStreamDecoder(START);
        assertThat(decode(zeroPage, bytes, 0, () -> 100)).hasSize(2);
        assertThat(zeroPage.state()).isEqualTo(WalStreamDecoder.State.END_OF_WAL);
        assertThat(zeroPage.nextRecordLsn()).isEqualTo(wal.position());

        // A recycled segment: a valid header whose address is older than expected.
        ByteBuffer stale = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int at = offset(wal.position());
        stale.putShort(at, (short) 0xD116).putShort(at + 2, (short) 0x0005).putInt(at + 4, 1);
        stale.putLong(at + 8, wal.position().value() - 16 * 1024 * 1024).putInt(at + 16, 77);
        WalStreamDecoder recycled = new WalStreamDecoder(START);
        assertThat(decode(recycled, bytes, 0, () -> 100)).hasSize(2);
        assertThat(recycled.state()).isEqualTo(WalStreamDecoder.State.END_OF_WAL);

        // A newer address is not a recycled page: it is corruption.
        stale.putLong(at + 8, wal.position().value() + 8192);
        WalStreamDecoder newer = new WalStreamDecoder(START);
        assertThat(decode(newer, bytes, 0, () -> 100)).hasSize(2);
        expectFailure(newer, wal.position(), Reason.INVALID_PAGE_HEADER, "unexpected pageaddr");
    }

    @Test
    void switchRecordEndsAtTheSegmentEnd() {
        WalBuilder wal = new WalBuilder(START);
        wal.appendMessage(10);
        Placed sw = wal.appendSwitch();
        wal.appendMessage(20);
        wal.appendMessage(30000);
        List<DecodedRecord> records = decode(new WalStreamDecoder(START), wal.bytes(), 0, () -> 65536);
        assertSame(records, wal.placed());
        assertThat(records.get(1).isSwitch()).isTrue();
        assertThat(records.get(1).recordType()).isEqualTo("SWITCH");
        assertThat(sw.end()).isEqualTo(Lsn.parse("0/2000000"));
        assertThat(records.get(2).lsn()).isEqualTo(Lsn.parse("0/2000028"));
    }

    @Test
    void endOfInputInsideARecordIsTruncation() {
        Placed big = SAMPLE.placed().stream()
                .filter(p -> p.totalLength() > 3 * 8192)
                .findFirst()
                .orElseThrow();
        byte[] cut = java.util.Arrays.copyOf(BYTES, offset(big.lsn()) + 9000);
        WalStreamDecoder decoder = new WalStreamDecoder(START);
        List<DecodedRecord> records = decode(decoder, cut, 0, () -> 4096);
        assertThat(records).hasSize(SAMPLE.placed().indexOf(big));
        assertThat(decoder.isInsideRecord()).isTrue();
        decoder.endOfInput("test cut");
        expectFailure(decoder, big.lsn(), Reason.TRUNCATED, "test cut");

        WalStreamDecoder atBoundary = new WalStreamDecoder(START);
        decode(atBoundary, java.util.Arrays.copyOf(BYTES, offset(big.lsn())), 0, () -> 4096);
        atBoundary.endOfInput("clean");
        assertThat(atBoundary.state()).isEqualTo(WalStreamDecoder.State.DECODING);
        assertThat(atBoundary.poll()).isNull();
        assertThat(atBoundary.nextRecordLsn()).isEqualTo(big.lsn());
    }

    @Test
    void flippedByteInARecordIsACrcFailureAtThatRecord() {
        Placed victim = SAMPLE.placed().get(30);
        byte[] damaged = BYTES.clone();
        damaged[offset(victim.lsn()) + victim.totalLength() - 1] ^= 0x40;
        WalStreamDecoder decoder = new WalStreamDecoder(START);
        List<DecodedRecord> records = decode(decoder, damaged, 0, () -> 10000);
        assertSame(records, SAMPLE.placed().subList(0, 30));
        expectFailure(decoder, victim.lsn(), Reason.CRC_MISMATCH, "checksum");
        assertThatThrownBy(decoder::poll).isInstanceOf(WalDecodeException.class);
    }

    @Test
    void continuationPageProblems() {
        Placed big = SAMPLE.placed().stream()
                .filter(p -> p.totalLength() > 3 * 8192)
                .findFirst()
                .orElseThrow();
        Lsn page = big.lsn().plus(8192).pageStart();
        int at = offset(page);

        byte[] noFlag = BYTES.clone();
        noFlag[at + 2] &= ~0x01;
        expectFailure(decodeAll(noFlag), big.lsn(), Reason.INVALID_CONTINUATION, "no contrecord flag");

        byte[] badRemaining = BYTES.clone();
        badRemaining[at + 16] ^= 0x01;
        expectFailure(decodeAll(badRemaining), big.lsn(), Reason.INVALID_CONTINUATION, "invalid contrecord length");

        byte[] badMagic = BYTES.clone();
        badMagic[at] ^= 0x01;
        expectFailure(decodeAll(badMagic), page, Reason.INVALID_PAGE_HEADER, "magic");

        byte[] badInfo = BYTES.clone();
        badInfo[at + 2] |= 0x10;
        expectFailure(decodeAll(badInfo), page, Reason.INVALID_PAGE_HEADER, "info bits");

        byte[] olderTimeline = BYTES.clone();
        olderTimeline[at + 4] = 0;
        expectFailure(decodeAll(olderTimeline), page, Reason.INVALID_PAGE_HEADER, "timeline");

        byte[] zeroed = BYTES.clone();
        java.util.Arrays.fill(zeroed, at, at + 8192, (byte) 0);
        WalStreamDecoder torn = decodeAll(zeroed);
        assertThat(torn.state()).isEqualTo(WalStreamDecoder.State.END_OF_WAL);
        assertThat(torn.nextRecordLsn()).isEqualTo(big.lsn());
    }

    @Test
    void segmentHeaderProblems() {
        Lsn first = Lsn.parse("0/1000000");
        Lsn second = Lsn.parse("0/2000000");
        WalBuilder wal = new WalBuilder(first);
        wal.appendMessage(10);
        wal.appendSwitch();
        wal.appendMessage(30000);
        byte[] bytes = wal.bytes();
        int at = (int) (second.value() - first.value());
        assertThat(decode(new WalStreamDecoder(first), bytes, 0, () -> 1 << 20)).hasSize(3);

        byte[] otherSystem = bytes.clone();
        otherSystem[at + 24] ^= 0x01;
        expectFailure(decodeAll(first, otherSystem), second, Reason.INVALID_PAGE_HEADER, "different database");
        // Starting in that segment, its long header is the first one seen, so it sets the system id.
        assertThat(decode(new WalStreamDecoder(second), otherSystem, at, () -> 9999))
                .hasSize(1);

        byte[] shortHeader = bytes.clone();
        shortHeader[at + 2] &= ~0x02;
        expectFailure(decodeAll(first, shortHeader), second, Reason.INVALID_PAGE_HEADER, "long header");

        byte[] segmentSize = bytes.clone();
        segmentSize[at + 34] ^= 0x01;
        expectFailure(decodeAll(first, segmentSize), second, Reason.INVALID_PAGE_HEADER, "segment size");

        byte[] blockSize = bytes.clone();
        blockSize[at + 37] ^= 0x01;
        expectFailure(decodeAll(first, blockSize), second, Reason.INVALID_PAGE_HEADER, "XLOG_BLCKSZ");
    }

    @Test
    void recordHeaderProblems() {
        Placed victim = SAMPLE.placed().get(40);
        int at = offset(victim.lsn());

        byte[] badPrev = BYTES.clone();
        badPrev[at + 8] ^= 0x08;
        expectFailure(decodeAll(badPrev), victim.lsn(), Reason.INVALID_RECORD_HEADER, "prev-link");

        byte[] zeroLength = BYTES.clone();
        java.util.Arrays.fill(zeroLength, at, at + 4, (byte) 0);
        expectFailure(decodeAll(zeroLength), victim.lsn(), Reason.INVALID_RECORD_HEADER, "length 0");

        byte[] tiny = BYTES.clone();
        tiny[at] = 10;
        tiny[at + 1] = 0;
        tiny[at + 2] = 0;
        tiny[at + 3] = 0;
        expectFailure(decodeAll(tiny), victim.lsn(), Reason.INVALID_RECORD_HEADER, "invalid record length 10");

        byte[] badRmgr = BYTES.clone();
        badRmgr[at + 17] = 99;
        expectFailure(decodeAll(badRmgr), victim.lsn(), Reason.INVALID_RECORD_HEADER, "resource manager ID 99");
    }

    /** A WAL whose last record ends {@code tail} bytes before a page end (tail 8 or 16: a header must split). */
    static WalBuilder endingBeforePageEnd(int tail) {
        WalBuilder wal = new WalBuilder(START);
        wal.appendMessage(100);
        int left = 8192 - wal.position().alignUp(8).pageOffset();
        wal.appendMessage(left - tail - 24 - 5);
        assertThat(wal.position().pageOffset()).isEqualTo(8192 - tail);
        return wal;
    }

    @Test
    void recordHeaderSplitAcrossPages() {
        for (int tail : new int[] {8, 16}) {
            WalBuilder wal = endingBeforePageEnd(tail);
            Placed split = wal.appendMessage(300);
            wal.appendMessage(10);
            byte[] bytes = wal.bytes();
            for (int chunk : new int[] {1, 5, 8192}) {
                WalStreamDecoder decoder = new WalStreamDecoder(START);
                assertSame(decode(decoder, bytes, 0, () -> chunk), wal.placed());
                assertThat(decoder.state()).isEqualTo(WalStreamDecoder.State.END_OF_WAL);
            }
            // The header's prev-link lies on the next page when only 8 bytes fit.
            byte[] badPrev = bytes.clone();
            Lsn prevField = tail == 8
                    ? split.lsn().plus(8).pageStart().plus(24)
                    : split.lsn().plus(8);
            badPrev[offset(prevField)] ^= 0x10;
            expectFailure(decodeAll(badPrev), split.lsn(), Reason.INVALID_RECORD_HEADER, "prev-link");
            // Cut inside the header: a torn record, named by its start.
            WalStreamDecoder cut = new WalStreamDecoder(START);
            decode(cut, Arrays.copyOf(bytes, offset(split.lsn()) + tail + 30), 0, () -> 100);
            cut.endOfInput("cut");
            expectFailure(cut, split.lsn(), Reason.TRUNCATED, "cut");
        }
    }

    @Test
    void zeroHeaderSplitAcrossPagesEndsTheWal() {
        WalBuilder wal = endingBeforePageEnd(8);
        byte[] bytes = Arrays.copyOf(wal.bytes(), wal.bytes().length + 8192);
        WalStreamDecoder decoder = new WalStreamDecoder(START);
        assertThat(decode(decoder, bytes, 0, () -> 3)).hasSize(2);
        assertThat(decoder.state()).isEqualTo(WalStreamDecoder.State.END_OF_WAL);
        assertThat(decoder.nextRecordLsn()).isEqualTo(wal.position());
    }

    @Test
    void continuationWhereARecordShouldStartIsAnError() {
        WalBuilder wal = new WalBuilder(START);
        wal.appendMessage(100);
        int left = 8192 - wal.position().alignUp(8).pageOffset();
        wal.appendMessage(left - 24 - 5);
        wal.appendMessage(50);
        byte[] bytes = wal.bytes();
        int page = offset(wal.position().pageStart());
        bytes[page + 2] |= 0x01;
        expectFailure(decodeAll(bytes), wal.position().pageStart(), Reason.INVALID_CONTINUATION, "new record");
    }

    @Test
    void overwrittenContinuationIsSkipped() {
        // Record B was torn at a page end; PostgreSQL then wrote C on the next page with
        // XLP_FIRST_IS_OVERWRITE_CONTRECORD and prev-link A.
        WalBuilder wal = new WalBuilder(START);
        Placed a = wal.appendMessage(100);
        int left = 8192 - wal.position().alignUp(8).pageOffset();
        wal.appendMessage(left + 500);
        byte[] bytes = wal.bytes();
        int page = offset(wal.position().pageStart());
        byte[] c = WalBuilder.encode(a.lsn().value(), 0, 21, 0, List.of(), new byte[] {1, 2, 3});
        java.util.Arrays.fill(bytes, page + 24, bytes.length, (byte) 0);
        System.arraycopy(c, 0, bytes, page + 24, c.length);
        ByteBuffer.wrap(bytes)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putShort(page + 2, (short) 0x0008)
                .putInt(page + 16, 0);

        WalStreamDecoder decoder = new WalStreamDecoder(START);
        List<DecodedRecord> records = decode(decoder, bytes, 0, () -> 777);
        assertThat(records)
                .extracting(DecodedRecord::lsn)
                .containsExactly(a.lsn(), wal.position().pageStart().plus(24));
        assertThat(records.get(1).mainData()).containsExactly(1, 2, 3);
        assertThat(decoder.state()).isEqualTo(WalStreamDecoder.State.END_OF_WAL);
    }

    @Test
    void feedsDirectBuffers() {
        ByteBuffer direct = ByteBuffer.allocateDirect(BYTES.length);
        direct.put(BYTES).flip();
        WalStreamDecoder decoder = new WalStreamDecoder(START);
        decoder.feed(direct);
        assertThat(direct.hasRemaining()).isFalse();
        List<DecodedRecord> records = new ArrayList<>();
        DecodedRecord r;
        while ((r = decoder.poll()) != null) {
            records.add(r);
        }
        assertSame(records, SAMPLE.placed());
        assertThat(decoder.nextRecordLsn()).isEqualTo(SAMPLE.placed().getLast().end());
        assertThat(decoder.position()).isEqualTo(decoder.nextRecordLsn().plus(24));
    }

    static WalStreamDecoder decodeAll(byte[] wal) {
        return decodeAll(START, wal);
    }

    static WalStreamDecoder decodeAll(Lsn start, byte[] wal) {
        WalStreamDecoder decoder = new WalStreamDecoder(start);
        int at = 0;
        while (at < wal.length && decoder.state() == WalStreamDecoder.State.DECODING) {
            int n = Math.min(3333, wal.length - at);
            decoder.feed(wal, at, n);
            at += n;
        }
        return decoder;
    }

    /** Drains the records before the failure, then expects the typed error at {@code lsn}. */
    static void expectFailure(WalStreamDecoder decoder, Lsn lsn, Reason reason, String message) {
        assertThat(decoder.state()).isEqualTo(WalStreamDecoder.State.FAILED);
        assertThatThrownBy(() -> {
                    while (decoder.poll() != null) {
                        // drain
                    }
                })
                .isInstanceOfSatisfying(WalDecodeException.class, e -> {
                    assertThat(e.lsn()).isEqualTo(lsn);
                    assertThat(e.reason()).isEqualTo(reason);
                })
                .hasMessageContaining(message);
    }
}
