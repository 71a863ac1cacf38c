package io.xenondb.compute.walproposer;

import com.google.protobuf.ByteString;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.decode.WalStreamDecoder;
import io.xenondb.shared.wal.read.WalReader;
import io.xenondb.shared.wal.read.WalSegmentFiles;
import io.xenondb.shared.wal.record.DecodedRecord;
import io.xenondb.shared.wal.view.WalRecordView;
import io.xenondb.shared.wal.view.XactRecord;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What a WAL node's WAL holds, decoded: the xids of its commit records and where its last record ends. */
record NodeWal(Set<Long> committedXids, Lsn recordsEnd, int records) {
    /** Decodes WAL bytes starting at {@code start}. */
    static NodeWal of(Lsn start, ByteString bytes) {
        WalStreamDecoder decoder = new WalStreamDecoder(start);
        decoder.feed(bytes.toByteArray());
        Set<Long> xids = new HashSet<>();
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
        Set<Long> xids = new HashSet<>();
        Lsn end = start;
        int count = 0;
        try (WalReader reader = WalReader.open(WalSegmentFiles.scan(List.of(dir), Optional.empty()), start)) {
            Optional<DecodedRecord> record;
            while ((record = reader.next()).isPresent()) {
                count++;
                end = record.get().endLsn();
                collect(record.get(), xids);
            }
        }
        return new NodeWal(xids, end, count);
    }

    private static void collect(DecodedRecord record, Set<Long> xids) {
        WalRecordView.of(record).ifPresent(view -> {
            if (view instanceof XactRecord xact && xact.kind().isCommit()) {
                xids.add(xact.xid());
            }
        });
    }
}
