package io.xenondb.walnode.timeline;

import io.xenondb.proto.wal.StorageFeedback;
import io.xenondb.shared.lsn.Lsn;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The latest progress report of each storage-node shard of a timeline. Not thread-safe (the actor's). */
final class StorageFeedbacks {
    private final Map<String, StorageFeedback> byShard = new TreeMap<>();

    /** The newest report of a shard replaces its older one. */
    void record(StorageFeedback feedback) {
        byShard.put(feedback.getShardId(), feedback);
    }

    /** WAL below this is in object storage for every shard that reported; invalid until one reports. */
    Lsn remoteConsistentLsn() {
        return byShard.values().stream()
                .map(f -> Lsn.of(f.getRemoteConsistentLsn()))
                .min(Lsn::compareTo)
                .orElse(Lsn.INVALID);
    }

    /** The report that ingested furthest, for the proposer's back-pressure. */
    Optional<StorageFeedback> mostAdvanced() {
        return byShard.values().stream()
                .max((a, b) -> Long.compareUnsigned(a.getLastRecordLsn(), b.getLastRecordLsn()));
    }
}
