package io.xenondb.compute.walproposer;

import com.google.protobuf.ByteString;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalDecodeException;
import io.xenondb.shared.wal.decode.WalStreamDecoder;
import io.xenondb.shared.wal.read.WalReader;
import io.xenondb.shared.wal.read.WalSegmentFiles;
import io.xenondb.shared.wal.record.DecodedRecord;
import io.xenondb.shared.wal.view.WalRecordView;
import io.xenondb.shared.wal.view.XactRecord;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What a WAL node's WAL holds, decoded: its commit records (xid to record end) and where its last record ends. */
record NodeWal(Map<Long, Lsn> commitEnds, Lsn recordsEnd, int records) {
    /** Decodes WAL bytes starting at {@code start}. */
    static NodeWal of(Lsn start, ByteString bytes) {
        WalStreamDecoder decoder = new WalStreamDecoder(start);
        decoder.feed(bytes.toByteArray());
        Map<Long, Lsn> xids = new HashMap<>();
        Lsn end = start;
        int count = 0;
        DecodedRecord record;
        while ((record = decoder.poll()) != null) {
            count++;
            end = record.endLsn();
            collect(record, xids);
        }
        return new NodeWal(xids, end, count);
    }

    /** Reads the segment files in {@code dir} from {@code start} to the end of the WAL they hold. */
    static NodeWal ofFiles(Path dir, Lsn start) {
        Map<Long, Lsn> xids = new HashMap<>();
        Lsn end = start;
        int count = 0;
        try (WalReader reader = WalReader.open(WalSegmentFiles.scan(List.of(dir), Optional.empty()), start)) {
            Optional<DecodedRecord> record;
            while ((record = reader.next()).isPresent()) {
                count++;
                end = record.get().endLsn();
                collect(record.get(), xids);
            }
        } catch (WalDecodeException e) {
            // A last segment file that is not (yet) full length ends the WAL like zeros do; anything else is damage.
            if (e.reason() != WalDecodeException.Reason.TRUNCATED) {
                throw e;
            }
        }
        return new NodeWal(xids, end, count);
    }

    /** The xids of the commit records. */
    Set<Long> committedXids() {
        return commitEnds.keySet();
    }

    private static void collect(DecodedRecord record, Map<Long, Lsn> xids) {
        WalRecordView.of(record).ifPresent(view -> {
            if (view instanceof XactRecord xact && xact.kind().isCommit()) {
                xids.put(xact.xid(), record.endLsn());
            }
        });
    }
}
