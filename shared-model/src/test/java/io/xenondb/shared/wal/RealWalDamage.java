package io.xenondb.shared.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalDecodeException.Reason;
import io.xenondb.shared.wal.decode.WalStreamDecoder;
import io.xenondb.shared.wal.read.WalReader;
import io.xenondb.shared.wal.record.DecodedRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Targeted damage to one real PostgreSQL segment: flipped bytes, truncated files and garbage after valid WAL
 * must raise {@link WalDecodeException} at the right LSN after handing out exactly the intact records.
 */
final class RealWalDamage {
    private final byte[] segment;
    private final Lsn segmentStart;
    private final List<DecodedRecord> reference;

    RealWalDamage(byte[] segment, Lsn segmentStart) {
        this.segment = segment;
        this.segmentStart = segmentStart;
        this.reference = decode(segment, segment.length).records();
        assertThat(reference).hasSizeGreaterThan(1000);
    }

    record Result(List<DecodedRecord> records, WalDecodeException failure) {}

    Result decode(byte[] bytes, int length) {
        WalStreamDecoder decoder = new WalStreamDecoder(segmentStart);
        List<DecodedRecord> out = new ArrayList<>();
        try {
            for (int at = 0; at < length; at += 65536) {
                decoder.feed(bytes, at, Math.min(65536, length - at));
                while (decoder.hasRecord()) {
                    out.add(decoder.poll());
                }
            }
            decoder.poll();
            return new Result(out, null);
        } catch (WalDecodeException e) {
            return new Result(out, e);
        } catch (RuntimeException e) {
            return fail("only WalDecodeException may escape, got " + e, e);
        }
    }

    int offset(Lsn lsn) {
        return (int) lsn.minus(segmentStart);
    }

    /** The LSN of byte {@code index} of a record, skipping page headers inside it. */
    static Lsn lsnOfRecordByte(DecodedRecord r, int index) {
        long pos = r.lsn().value();
        long remaining = index;
        while (true) {
            long onPage = 8192 - pos % 8192;
            if (remaining < onPage) {
                return Lsn.of(pos + remaining);
            }
            remaining -= onPage;
            pos += onPage;
            pos += pos % Lsn.WAL_SEGMENT_SIZE == 0 ? 40 : 24;
        }
    }

    static Lsn endOfBytes(DecodedRecord r) {
        return lsnOfRecordByte(r, r.totalLength() - 1).plus(1);
    }

    void assertIntactPrefix(List<DecodedRecord> got, int expectedCount, String context) {
        assertThat(got).as(context).hasSize(expectedCount);
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i).rawBytes())
                    .as(context)
                    .isEqualTo(reference.get(i).rawBytes());
        }
    }

    void flippedBytes(Random random, long seed, int count) {
        for (int i = 0; i < count; i++) {
            int k = random.nextInt(reference.size() - 1);
            DecodedRecord victim = reference.get(k);
            int index = 24 + random.nextInt(Math.max(1, victim.totalLength() - 24));
            if (index >= victim.totalLength()) {
                continue;
            }
            Lsn where = lsnOfRecordByte(victim, index);
            String context = "seed " + seed + " flip in " + victim.lsn() + " at " + where;
            byte[] damaged = segment.clone();
            damaged[offset(where)] ^= (byte) (1 + random.nextInt(255));
            Result result = decode(damaged, Math.min(segment.length, offset(victim.endLsn()) + 8192));
            assertIntactPrefix(result.records(), k, context);
            assertThat(result.failure()).as(context).isNotNull();
            assertThat(result.failure().lsn()).as(context).isEqualTo(victim.lsn());
            assertThat(result.failure().reason()).as(context).isEqualTo(Reason.CRC_MISMATCH);
        }
    }

    void truncatedFiles(Random random, long seed, int count, Path scratch, String fileName) throws IOException {
        Lsn lastEnd = endOfBytes(reference.getLast());
        for (int i = 0; i < count; i++) {
            int page = random.nextInt(offset(lastEnd) / 8192);
            int cut = Math.max(1, page * 8192 + new int[] {-1, 0, 1, 23, 24, 25, 41, 3000}[random.nextInt(8)]);
            Lsn cutLsn = segmentStart.plus(cut);
            String context = "seed " + seed + " file cut at " + cutLsn;
            Path dir = Files.createDirectories(scratch.resolve("cut-" + i));
            Files.write(dir.resolve(fileName), Arrays.copyOf(segment, cut));
            List<DecodedRecord> got = new ArrayList<>();
            try (WalReader reader = WalReader.open(List.of(dir))) {
                Optional<DecodedRecord> r;
                while ((r = reader.next()).isPresent()) {
                    got.add(r.get());
                }
                fail(context + ": expected a truncation error");
            } catch (WalDecodeException e) {
                int complete = (int) reference.stream()
                        .filter(r -> !endOfBytes(r).isAfter(cutLsn))
                        .count();
                assertIntactPrefix(got, complete, context);
                assertThat(e.reason()).as(context).isEqualTo(Reason.TRUNCATED);
                Lsn previousEnd = complete == 0
                        ? segmentStart
                        : reference.get(complete - 1).endLsn();
                Lsn nextStart = reference.get(complete).lsn();
                assertThat(e.lsn()).as(context).isBetween(previousEnd, nextStart);
            }
        }
    }

    void garbageAfterValidWal(Random random, long seed, int count) {
        for (int i = 0; i < count; i++) {
            int k = random.nextInt(reference.size() - 1);
            DecodedRecord last = reference.get(k);
            int keep = offset(last.endLsn());
            int length = Math.min(segment.length, keep + 1 + random.nextInt(20000));
            byte[] damaged = segment.clone();
            byte[] garbage = new byte[length - keep];
            random.nextBytes(garbage);
            System.arraycopy(garbage, 0, damaged, keep, garbage.length);
            String context = "seed " + seed + " garbage after " + last.lsn();
            Result result = decode(damaged, length);
            assertIntactPrefix(result.records(), k + 1, context);
            if (result.failure() != null) {
                assertThat(result.failure().lsn()).as(context).isGreaterThanOrEqualTo(last.endLsn());
            }
        }
    }
}
