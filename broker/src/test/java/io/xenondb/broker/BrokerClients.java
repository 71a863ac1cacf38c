package io.xenondb.broker;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.xenondb.proto.broker.SafekeeperTimelineInfo;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.TimelineId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Test clients of a broker: channels, timeline state messages that carry their send time, and a state collector. */
final class BrokerClients {
    private BrokerClients() {}

    static ManagedChannel channel(ListenAddress address) {
        return NettyChannelBuilder.forAddress(address.host(), address.port())
                .usePlaintext()
                .build();
    }

    /** A channel whose receive window is small, so a reader that stops reading stalls the server quickly. */
    static ManagedChannel narrowChannel(ListenAddress address) {
        return NettyChannelBuilder.forAddress(address.host(), address.port())
                .usePlaintext()
                .flowControlWindow(16 * 1024)
                .build();
    }

    static void close(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    static TenantTimelineId timeline(TenantId tenant, int i) {
        return new TenantTimelineId(tenant, new TimelineId(0x7E57, i));
    }

    /** WAL node {@code safekeeper}'s state of a timeline; {@code standby_horizon} carries the send time (nanos). */
    static SafekeeperTimelineInfo state(TenantTimelineId timeline, long safekeeper, long commitLsn) {
        return SafekeeperTimelineInfo.newBuilder()
                .setSafekeeperId(safekeeper)
                .setTenantTimelineId(timeline.toBrokerProto())
                .setTerm(3)
                .setCommitLsn(commitLsn)
                .setFlushLsn(commitLsn)
                .setSafekeeperConnstr("wal-" + safekeeper + ":5454")
                .setStandbyHorizon(System.nanoTime())
                .build();
    }

    /** Which WAL node's state of which timeline. */
    record Key(TenantTimelineId timeline, long safekeeper) {
        static Key of(SafekeeperTimelineInfo info) {
            return new Key(TenantTimelineId.fromProto(info.getTenantTimelineId()), info.getSafekeeperId());
        }
    }

    /** The newest commit LSN a subscriber saw per key, and the worst delay of those newest states. */
    static final class Collector {
        final Map<Key, Long> newest = new ConcurrentHashMap<>();
        final AtomicLong received = new AtomicLong();
        private final Map<Key, Long> delayOfNewest = new ConcurrentHashMap<>();

        void accept(SafekeeperTimelineInfo info) {
            long delay = System.nanoTime() - info.getStandbyHorizon();
            received.incrementAndGet();
            Key key = Key.of(info);
            newest.merge(key, info.getCommitLsn(), Math::max);
            if (newest.get(key) == info.getCommitLsn()) {
                delayOfNewest.put(key, delay);
            }
        }

        boolean has(Map<Key, Long> expected) {
            for (Map.Entry<Key, Long> entry : expected.entrySet()) {
                if (!entry.getValue().equals(newest.get(entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        /** The longest time between publishing a newest state and receiving it, in milliseconds. */
        long worstDelayMillis(Map<Key, Long> expected) {
            return expected.keySet().stream()
                    .mapToLong(key -> delayOfNewest.getOrDefault(key, Long.MAX_VALUE))
                    .map(TimeUnit.NANOSECONDS::toMillis)
                    .max()
                    .orElse(0);
        }
    }
}
