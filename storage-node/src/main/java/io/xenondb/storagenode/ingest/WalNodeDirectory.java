package io.xenondb.storagenode.ingest;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.xenondb.proto.broker.BrokerServiceGrpc;
import io.xenondb.proto.broker.SafekeeperTimelineInfo;
import io.xenondb.proto.broker.SubscribeSafekeeperInfoRequest;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the storage broker says about every timeline's WAL nodes: a subscription to all of them, kept open (and
 * reopened after failures) on a virtual thread. Ingest asks it which node of a timeline is furthest ahead.
 */
public final class WalNodeDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalNodeDirectory.class);
    private static final Duration RETRY = Duration.ofMillis(500);

    /** The latest state one WAL node published for a timeline, and when it arrived. */
    public record WalNodeInfo(NodeId node, ListenAddress grpc, Lsn commitLsn, Lsn localStartLsn, Instant seen) {}

    private final ListenAddress broker;
    private final Clock clock;
    private final Duration staleAfter;
    private final Map<TenantTimelineId, Map<NodeId, WalNodeInfo>> known = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private ManagedChannel channel;
    private Thread thread;

    public WalNodeDirectory(ListenAddress broker, Clock clock, Duration staleAfter) {
        this.broker = broker;
        this.clock = clock;
        this.staleAfter = staleAfter;
    }

    public synchronized void start() {
        channel = ManagedChannelBuilder.forAddress(broker.host(), broker.port())
                .usePlaintext()
                .keepAliveTime(10, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                .build();
        thread = Thread.ofVirtual().name("broker-subscription").start(this::run);
    }

    /** Called (on the subscription's thread) after every update: ingest wakes up to new WAL. */
    public void onUpdate(Runnable listener) {
        listeners.add(listener);
    }

    private void run() {
        while (!closed) {
            try {
                var updates = BrokerServiceGrpc.newBlockingStub(channel)
                        .subscribeSafekeeperInfo(SubscribeSafekeeperInfoRequest.newBuilder()
                                .setAll(com.google.protobuf.Empty.getDefaultInstance())
                                .build());
                while (!closed && updates.hasNext()) {
                    record(updates.next());
                }
            } catch (StatusRuntimeException | IllegalArgumentException e) {
                if (!closed) {
                    LOG.debug("broker subscription at {} failed, retrying: {}", broker, e.toString());
                }
            }
            sleep(RETRY);
        }
    }

    private void record(SafekeeperTimelineInfo info) {
        TenantTimelineId timeline = TenantTimelineId.fromProto(info.getTenantTimelineId());
        NodeId node = NodeId.of(info.getSafekeeperId());
        ListenAddress grpc = ListenAddress.parse(info.getSafekeeperConnstr());
        known.computeIfAbsent(timeline, t -> new ConcurrentHashMap<>())
                .put(
                        node,
                        new WalNodeInfo(
                                node,
                                grpc,
                                Lsn.of(info.getCommitLsn()),
                                Lsn.of(info.getLocalStartLsn()),
                                clock.instant()));
        listeners.forEach(Runnable::run);
    }

    /**
     * The WAL node of {@code timeline} with the highest commit LSN among those heard from recently that still
     * hold WAL from {@code from}; nodes in {@code avoid} only if there is no other.
     */
    public Optional<WalNodeInfo> furthestAhead(TenantTimelineId timeline, Lsn from, java.util.Set<NodeId> avoid) {
        Map<NodeId, WalNodeInfo> nodes = known.getOrDefault(timeline, Map.of());
        Instant freshSince = clock.instant().minus(staleAfter);
        Comparator<WalNodeInfo> order = Comparator.comparing((WalNodeInfo i) -> !avoid.contains(i.node()))
                .thenComparing(WalNodeInfo::commitLsn);
        return nodes.values().stream()
                .filter(i -> i.seen().isAfter(freshSince))
                .filter(i -> !i.localStartLsn().isAfter(from))
                .max(order);
    }

    /**
     * The end of the WAL a quorum of {@code timeline}'s WAL nodes holds, asked of the nodes themselves: the
     * median of their flush LSNs (for three nodes the second highest). Every commit a compute was told of lies
     * below it, and all of it is committed, so ingest reaches it. Every WAL node the broker has told of is asked
     * (the timeline's own state may not have been published yet); empty if no majority of the nodes that hold the
     * timeline answers.
     */
    public Optional<Lsn> quorumFlushLsn(TenantTimelineId timeline, Duration timeout) {
        Map<ListenAddress, WalNodeInfo> candidates = new java.util.LinkedHashMap<>();
        known.values().forEach(byNode -> byNode.values().forEach(i -> candidates.putIfAbsent(i.grpc(), i)));
        int holding = 0;
        List<Lsn> flushed = new java.util.ArrayList<>();
        for (WalNodeInfo node : candidates.values()) {
            ManagedChannel channel = io.xenondb.shared.client.WalNodeChannels.open(node.grpc());
            try {
                var status = io.xenondb.proto.wal.WalServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .getTimelineStatus(io.xenondb.proto.wal.GetTimelineStatusRequest.newBuilder()
                                .setTenantTimelineId(timeline.toWalProto())
                                .build());
                flushed.add(Lsn.of(status.getFlushLsn()));
                holding++;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != io.grpc.Status.Code.NOT_FOUND) {
                    holding++; // holds it, perhaps, but did not answer: it counts against the majority
                }
                LOG.debug("WAL node {} did not answer for {}: {}", node.node(), timeline, e.toString());
            } finally {
                io.xenondb.shared.client.WalNodeChannels.close(channel, Duration.ofSeconds(1));
            }
        }
        int members = Math.max(holding, nodes(timeline).size());
        int majority = members / 2 + 1;
        if (members == 0 || flushed.size() < majority) {
            return Optional.empty();
        }
        flushed.sort(Comparator.reverseOrder());
        return Optional.of(flushed.get(majority - 1));
    }

    /** Everything known about {@code timeline}'s nodes. */
    public List<WalNodeInfo> nodes(TenantTimelineId timeline) {
        return List.copyOf(known.getOrDefault(timeline, Map.of()).values());
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (channel != null) {
            channel.shutdownNow();
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
