package io.xenondb.walnode.consensus.message;

import com.google.protobuf.ByteString;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import java.util.Objects;

/**
 * WAL {@code [beginLsn, endLsn)} from the proposer of {@code term}, or with no bytes a heartbeat carrying a newer
 * commit LSN and truncate LSN.
 */
public record AppendRequest(
        TenantTimelineId timeline,
        Term term,
        Lsn beginLsn,
        Lsn endLsn,
        Lsn commitLsn,
        Lsn truncateLsn,
        ByteString walData)
        implements ProposerMessage {
    /** Most WAL bytes in one request (Neon's MAX_SEND_SIZE). */
    public static final int MAX_WAL_BYTES = 128 * 1024;

    public AppendRequest {
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(term, "term");
        Objects.requireNonNull(beginLsn, "beginLsn");
        Objects.requireNonNull(endLsn, "endLsn");
        Objects.requireNonNull(commitLsn, "commitLsn");
        Objects.requireNonNull(truncateLsn, "truncateLsn");
        Objects.requireNonNull(walData, "walData");
        if (walData.size() > MAX_WAL_BYTES
                || endLsn.isBefore(beginLsn)
                || endLsn.value() - beginLsn.value() != walData.size()) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "append: [" + beginLsn + ", " + endLsn + ") with " + walData.size()
                            + " bytes (expected: end - begin == size of wal_data, at most " + MAX_WAL_BYTES + ")");
        }
    }
}
