package io.xenondb.shared.wal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalBuilder;
import io.xenondb.shared.wal.WalBuilder.Block;
import io.xenondb.shared.wal.WalDecodeException;
import io.xenondb.shared.wal.WalDecodeException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class DecodedRecordTest {
    private static final Lsn LSN = Lsn.parse("0/2000028");
    private static final Lsn END = Lsn.parse("0/2000100");

    static byte[] page(int seed) {
        byte[] page = new byte[8192];
        for (int i = 0; i < page.length; i++) {
            page[i] = (byte) ((i * seed) >> 3);
        }
        for (int i = 200; i < 7000; i++) {
            page[i] = 0; // the hole
        }
        return page;
    }

    @Test
    void decodesHeaderBlocksImagesAndMainData() {
        byte[] page1 = page(7);
        byte[] page2 = page(11);
        byte[] main = new byte[300];
        main[0] = 42;
        List<Block> blocks = List.of(
                Block.data(0, 16384, 7, new byte[] {1, 2, 3}),
                Block.image(2, 16384, 8, page1, 200, 6800).withSameRel().withData(new byte[] {9}),
                Block.pglzImage(5, 16390, 0, page2, 200, 6800).withFork(2));
        byte[] raw = WalBuilder.encode(0x1FFFFA0L, 734, 10, 0x80, blocks, main);

        DecodedRecord record = DecodedRecord.decode(LSN, END, raw);

        assertThat(record.lsn()).isEqualTo(LSN);
        assertThat(record.endLsn()).isEqualTo(END);
        assertThat(record.prevLsn()).isEqualTo(Lsn.of(0x1FFFFA0L));
        assertThat(record.xid()).isEqualTo(734);
        assertThat(record.resourceManager()).isEqualTo(ResourceManager.HEAP);
        assertThat(record.rmgrName()).isEqualTo("Heap");
        assertThat(record.recordType()).isEqualTo("INSERT+INIT");
        assertThat(record.totalLength()).isEqualTo(raw.length);
        assertThat(record.mainDataLength()).isEqualTo(300);
        assertThat(record.mainData()).isEqualTo(main);
        assertThat(record.mainDataBuffer().get(0)).isEqualTo((byte) 42);
        assertThat(record.blocks()).extracting(BlockReference::blockId).containsExactly(0, 2, 5);

        BlockReference b0 = record.blocks().get(0);
        assertThat(b0.rel()).isEqualTo(new RelFileLocator(1663, 5, 16384));
        assertThat(b0.fork()).isEqualTo(ForkNumber.MAIN);
        assertThat(b0.blockNumber()).isEqualTo(7);
        assertThat(b0.data()).containsExactly(1, 2, 3);
        assertThat(b0.image()).isEmpty();

        BlockReference b2 = record.block(2).orElseThrow();
        assertThat(b2.rel()).isEqualTo(b0.rel());
        assertThat(b2.data()).containsExactly(9);
        FullPageImage image1 = b2.image().orElseThrow();
        assertThat(image1.storedLength()).isEqualTo(8192 - 6800);
        assertThat(image1.compression()).isEqualTo(ImageCompression.NONE);
        assertThat(image1.flagNames()).containsExactly("HAS_HOLE", "APPLY");
        assertThat(image1.restorePage()).isEqualTo(page1);

        BlockReference b5 = record.block(5).orElseThrow();
        assertThat(b5.rel().relNumber()).isEqualTo(16390);
        assertThat(b5.fork()).isEqualTo(ForkNumber.VISIBILITY_MAP);
        FullPageImage image2 = b5.image().orElseThrow();
        assertThat(image2.compression()).isEqualTo(ImageCompression.PGLZ);
        assertThat(image2.holeOffset()).isEqualTo(200);
        assertThat(image2.holeLength()).isEqualTo(6800);
        assertThat(image2.flagNames()).containsExactly("HAS_HOLE", "APPLY", "COMPRESS_PGLZ");
        assertThat(image2.restorePage()).isEqualTo(page2);
        assertThat(record.fpiLength()).isEqualTo(image1.storedLength() + image2.storedLength());
    }

    @Test
    void wholePageImageWithoutHole() {
        byte[] page = new byte[8192];
        java.util.Arrays.fill(page, (byte) 0x5A);
        byte[] raw = WalBuilder.encode(0, 0, 0, 0xB0, List.of(Block.image(0, 1259, 3, page, 0, 0)), new byte[0]);
        DecodedRecord record = DecodedRecord.decode(LSN, END, raw);
        assertThat(record.rmgrName()).isEqualTo("XLOG");
        assertThat(record.recordType()).isEqualTo("FPI");
        assertThat(record.block(0).orElseThrow().image().orElseThrow().flagNames())
                .containsExactly("APPLY");
        assertThat(record.block(0).orElseThrow().image().orElseThrow().restorePage())
                .isEqualTo(page);
        assertThat(record.fpiLength()).isEqualTo(8192);
        assertThat(record.mainDataLength()).isZero();
    }

    @Test
    void lz4AndZstdImagesAreReportedAsUnsupported() {
        Block lz4 = Block.image(0, 1, 1, page(3), 200, 6800).withImageInfo(0x02 | 0x08 | 0x01);
        byte[] raw = WalBuilder.encode(0, 0, 0, 0xB0, List.of(lz4), new byte[0]);
        FullPageImage image =
                DecodedRecord.decode(LSN, END, raw).blocks().get(0).image().orElseThrow();
        assertThat(image.compression()).isEqualTo(ImageCompression.LZ4);
        assertThat(image.flagNames()).containsExactly("HAS_HOLE", "APPLY", "COMPRESS_LZ4");
        assertThatThrownBy(image::restorePage)
                .isInstanceOfSatisfying(WalDecodeException.class, e -> {
                    assertThat(e.lsn()).isEqualTo(LSN);
                    assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_COMPRESSION);
                })
                .hasMessageContaining("LZ4");

        Block zstd = Block.image(0, 1, 1, page(3), 200, 6800).withImageInfo(0x02 | 0x10 | 0x01);
        byte[] raw2 = WalBuilder.encode(0, 0, 0, 0xB0, List.of(zstd), new byte[0]);
        FullPageImage image2 =
                DecodedRecord.decode(LSN, END, raw2).blocks().get(0).image().orElseThrow();
        assertThat(image2.compression()).isEqualTo(ImageCompression.ZSTD);
        assertThatThrownBy(image2::restorePage).hasMessageContaining("ZSTD");
    }

    @Test
    void corruptPglzImageIsATypedError() {
        Block bad = Block.image(0, 1, 1, page(3), 200, 6800).withImageInfo(0x02 | 0x04 | 0x01);
        byte[] raw = WalBuilder.encode(0, 0, 0, 0xB0, List.of(bad), new byte[0]);
        FullPageImage image =
                DecodedRecord.decode(LSN, END, raw).blocks().get(0).image().orElseThrow();
        assertThatThrownBy(image::restorePage)
                .isInstanceOfSatisfying(
                        WalDecodeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_PAGE_IMAGE));
    }

    @Test
    void crcMismatchNamesTheRecord() {
        byte[] raw = WalBuilder.encode(0, 1, 10, 0, List.of(Block.data(0, 1, 1, new byte[] {1})), new byte[] {7});
        raw[raw.length - 1] ^= 1;
        expect(() -> DecodedRecord.decode(LSN, END, raw), Reason.CRC_MISMATCH, "checksum");
    }

    @Test
    void headerProblems() {
        byte[] raw = WalBuilder.encode(0, 1, 10, 0, List.of(), new byte[] {7});
        expect(() -> DecodedRecord.decode(LSN, END, new byte[10]), Reason.INVALID_RECORD_HEADER, "shorter than");
        byte[] longer = java.util.Arrays.copyOf(raw, raw.length + 1);
        expect(() -> DecodedRecord.decode(LSN, END, longer), Reason.INVALID_RECORD_HEADER, "xl_tot_len");
        byte[] badRmgr = raw.clone();
        badRmgr[17] = 22;
        WalBuilder.fixCrc(badRmgr);
        expect(() -> DecodedRecord.decode(LSN, END, badRmgr), Reason.INVALID_RECORD_HEADER, "resource manager ID 22");
        byte[] custom = raw.clone();
        custom[17] = (byte) 200;
        WalBuilder.fixCrc(custom);
        DecodedRecord record = DecodedRecord.decode(LSN, END, custom);
        assertThat(record.resourceManager()).isEqualTo(ResourceManager.CUSTOM);
        assertThat(record.rmgrName()).isEqualTo("custom200");
        assertThat(record.recordType()).isEqualTo("UNKNOWN (0)");
    }

    @Test
    void layoutProblems() {
        // Block header: id, fork_flags, data_length, [image header], [rel], block number.
        layout(header(0, 0x20, 0, 0, rel(), u32(1)), new byte[0], "HAS_DATA set, but no data");
        layout(header(0, 0x00, 2, 0, rel(), u32(1)), new byte[2], "HAS_DATA not set, but data length is 2");
        layout(header(0, 0x80, 0, 0, u32(1)), new byte[0], "SAME_REL set but no previous rel");
        layout(header(0, 0x05, 0, 0, rel(), u32(1)), new byte[0], "invalid fork number 5");
        layout(header(1, 0, 0, 0, rel(), u32(1), 0, 0, 0, 0, rel(), u32(1)), new byte[0], "out-of-order block_id 0");
        layout(header(40), new byte[0], "invalid block_id 40");
        layout(header(0, 0x20, 5, 0, rel(), u32(1)), new byte[3], "invalid length");
        layout(header(0, 0x00, 0, 0, 1, 2), new byte[0], "runs past the record end");
        layout(header(255, 10), new byte[4], "invalid length");
        // image: length, hole offset, bimg_info
        layout(header(0, 0x10, 0, 0, 0x00, 0x10, 0, 0, 0x03, rel(), u32(1)), new byte[4096], "hole is empty");
        layout(header(0, 0x10, 0, 0, 0x00, 0x10, 5, 0, 0x02, rel(), u32(1)), new byte[4096], "but a hole is described");
        layout(header(0, 0x10, 0, 0, 0x00, 0x20, 5, 0, 0x02, rel(), u32(1)), new byte[8192], "hole is described");
        layout(header(0, 0x10, 0, 0, 0x00, 0x20, 0, 0, 0x06, rel(), u32(1)), new byte[8192], "as long as a whole");
        layout(header(0, 0x10, 0, 0, 0x10, 0x00, 0x00, 0x20, 0x07, 0x00, 0x01, rel(), u32(1)), new byte[16], "fit");
    }

    private static void layout(byte[] headers, byte[] payload, String message) {
        byte[] raw = new byte[24 + headers.length + payload.length];
        ByteBuffer.wrap(raw)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0, raw.length)
                .put(17, (byte) 10);
        System.arraycopy(headers, 0, raw, 24, headers.length);
        System.arraycopy(payload, 0, raw, 24 + headers.length, payload.length);
        WalBuilder.fixCrc(raw);
        expect(() -> DecodedRecord.decode(LSN, END, raw), Reason.INVALID_RECORD_LAYOUT, message);
    }

    private static void expect(ThrowingCallable call, Reason reason, String message) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(WalDecodeException.class, e -> {
                    assertThat(e.lsn()).isEqualTo(LSN);
                    assertThat(e.reason()).isEqualTo(reason);
                })
                .hasMessageContaining("WAL at " + LSN)
                .hasMessageContaining(message);
    }

    private static int[] rel() {
        return new int[] {0x7F, 0x06, 0, 0, 5, 0, 0, 0, 0, 0x40, 0, 0};
    }

    private static int[] u32(int v) {
        return new int[] {v & 0xFF, (v >>> 8) & 0xFF, (v >>> 16) & 0xFF, v >>> 24};
    }

    /** Concatenates ints and int arrays into bytes. */
    private static byte[] header(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof int[] arr) {
                for (int v : arr) {
                    out.write(v);
                }
            } else {
                out.write((Integer) p);
            }
        }
        return out.toByteArray();
    }
}
