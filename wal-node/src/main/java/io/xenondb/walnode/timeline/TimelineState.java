package io.xenondb.walnode.timeline;

import io.xenondb.proto.wal.StorageFeedback;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.message.TermHistory;
import io.xenondb.walnode.consensus.message.TimelineStatus;
import io.xenondb.walnode.metrics.WalNodeMetrics.TimelinePositions;
import java.util.Objects;
import java.util.Optional;

/**
 * A timeline's state as last published by its actor, readable from any thread without going through the actor.
 *
 * @param consensus the acceptor's status (its term history is cut at the flush LSN)
 * @param adoptedHistory the full history adopted from the last elected proposer
 * @param backupLsn WAL below this is in object storage (no backup yet: the timeline start)
 * @param remoteConsistentLsn WAL below this is durable in object storage per the storage nodes (the least
 *     advanced shard that reported); invalid until one reports
 * @param storageFeedback the most advanced storage-node report, for the proposer's back-pressure
 * @param appendStreams open append streams (proposers)
 */
public record TimelineState(
        TimelineStatus consensus,
        TermHistory adoptedHistory,
        Lsn backupLsn,
        Lsn remoteConsistentLsn,
        Optional<StorageFeedback> storageFeedback,
        int appendStreams) {
    public TimelineState {
        Objects.requireNonNull(consensus, "consensus");
        Objects.requireNonNull(adoptedHistory, "adoptedHistory");
        Objects.requireNonNull(backupLsn, "backupLsn");
        Objects.requireNonNull(remoteConsistentLsn, "remoteConsistentLsn");
        Objects.requireNonNull(storageFeedback, "storageFeedback");
    }

    public Term term() {
        return consensus.term();
    }

    public Lsn flushLsn() {
        return consensus.flushLsn();
    }

    public Lsn commitLsn() {
        return consensus.commitLsn();
    }

    /** The positions the metrics show. */
    public TimelinePositions positions() {
        return new TimelinePositions(
                consensus.term().value(),
                consensus.flushLsn(),
                consensus.commitLsn(),
                backupLsn,
                consensus.truncateLsn(),
                remoteConsistentLsn);
    }
}
