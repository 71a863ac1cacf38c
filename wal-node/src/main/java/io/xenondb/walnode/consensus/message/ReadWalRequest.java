package io.xenondb.walnode.consensus.message;

import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import java.util.Objects;

/**
 * Read WAL from {@code startLsn}, stopping before {@code endLsn} ({@link Lsn#INVALID}: no end). With
 * {@code recoveryTerm} ZERO only committed WAL is served; otherwise the reader is the proposer of that term,
 * recovering lagging nodes, and gets the node's WAL up to its flush LSN while the node's term equals it.
 */
public record ReadWalRequest(TenantTimelineId timeline, Lsn startLsn, Lsn endLsn, Term recoveryTerm) {
    public ReadWalRequest {
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(startLsn, "startLsn");
        Objects.requireNonNull(endLsn, "endLsn");
        Objects.requireNonNull(recoveryTerm, "recoveryTerm");
    }

    public boolean isRecovery() {
        return recoveryTerm.value() != 0;
    }
}
