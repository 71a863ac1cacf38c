package io.xenondb.shared.wal.view;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.internal.WalFormat;
import io.xenondb.shared.wal.record.DecodedRecord;
import io.xenondb.shared.wal.record.ResourceManager;
import java.util.Optional;

/** A typed view of a WAL record that changes structure: what the storage node must act on beyond pages. */
public sealed interface WalRecordView
        permits CheckpointRecord,
                SmgrCreateRecord,
                SmgrTruncateRecord,
                DbaseCreateRecord,
                DbaseDropRecord,
                XactRecord,
                RelmapUpdateRecord {
    /** The LSN of the record this view was parsed from. */
    Lsn lsn();

    /**
     * The typed view of {@code record}, or empty if its type has none.
     *
     * @throws io.xenondb.shared.wal.WalDecodeException naming the record's LSN if its main data is too short or
     *     inconsistent for its type
     */
    static Optional<WalRecordView> of(DecodedRecord record) {
        int info = record.rmgrInfo();
        int rmid = record.rmgrId();
        if (rmid == WalFormat.RMGR_XLOG) {
            return info == CheckpointRecord.SHUTDOWN || info == CheckpointRecord.ONLINE
                    ? Optional.of(CheckpointRecord.parse(record))
                    : Optional.empty();
        } else if (rmid == ResourceManager.STORAGE.id()) {
            return switch (info) {
                case SmgrCreateRecord.INFO -> Optional.of(SmgrCreateRecord.parse(record));
                case SmgrTruncateRecord.INFO -> Optional.of(SmgrTruncateRecord.parse(record));
                default -> Optional.empty();
            };
        } else if (rmid == ResourceManager.DATABASE.id()) {
            return switch (info) {
                case DbaseCreateRecord.INFO_FILE_COPY, DbaseCreateRecord.INFO_WAL_LOG ->
                    Optional.of(DbaseCreateRecord.parse(record));
                case DbaseDropRecord.INFO -> Optional.of(DbaseDropRecord.parse(record));
                default -> Optional.empty();
            };
        } else if (rmid == ResourceManager.TRANSACTION.id()) {
            return XactRecord.Kind.of(record.info()).map(kind -> XactRecord.parse(record, kind));
        } else if (rmid == ResourceManager.RELMAP.id() && info == RelmapUpdateRecord.INFO) {
            return Optional.of(RelmapUpdateRecord.parse(record));
        }
        return Optional.empty();
    }
}
