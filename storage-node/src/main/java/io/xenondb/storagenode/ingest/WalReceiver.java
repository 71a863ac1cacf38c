package io.xenondb.storagenode.ingest;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.xenondb.proto.wal.ReadWalRequest;
import io.xenondb.proto.wal.ReadWalResponse;
import io.xenondb.proto.wal.StorageFeedback;
import io.xenondb.proto.wal.StorageFeedbackRequest;
import io.xenondb.proto.wal.WalServiceGrpc;
import io.xenondb.shared.client.WalNodeChannels;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalDecodeException;
import io.xenondb.storagenode.timeline.Timeline;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one timeline's committed WAL from a WAL node into the timeline, on a virtual thread of its own: from
 * the timeline's last record on, from the node the broker says is furthest ahead. When the stream breaks, or
 * the node falls silent while another is ahead, it moves to another node. Every {@code persistInterval} it
 * makes the WAL durable locally and tells the node how far the storage node has got.
 */
public final class WalReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalReceiver.class);

    /** How ingest behaves. */
    public record Settings(Duration persistInterval, Duration switchAfter, Duration retry) {
        public static Settings defaults() {
            return new Settings(Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofMillis(200));
        }
    }

    private final Timeline timeline;
    private final TenantTimelineId id;
    private final WalNodeDirectory directory;
    private final Settings settings;
    private final Clock clock;
    private final NodeId self;
    private volatile boolean closed;
    private volatile Thread thread;
    private volatile Context.CancellableContext session;
    private volatile Instant lastProgress;
    private volatile Optional<NodeId> current = Optional.empty();
    private volatile Lsn lastPersisted = Lsn.INVALID;
    private volatile Lsn lastRemote = Lsn.INVALID;

    public WalReceiver(Timeline timeline, WalNodeDirectory directory, Settings settings, Clock clock, NodeId self) {
        this.timeline = timeline;
        this.id = new TenantTimelineId(timeline.tenant().tenantId(), timeline.id());
        this.directory = directory;
        this.settings = settings;
        this.clock = clock;
        this.self = self;
    }

    public void start() {
        directory.onUpdate(this::wake);
        thread = Thread.ofVirtual().name("ingest-" + id).start(this::run);
    }

    /** The WAL node the WAL currently comes from. */
    public Optional<NodeId> currentNode() {
        return current;
    }

    private void wake() {
        Thread t = thread;
        if (t != null && current.isEmpty()) {
            LockSupport.unpark(t);
        }
    }

    private void run() {
        Set<NodeId> avoid = new java.util.HashSet<>();
        while (!closed) {
            Lsn from = timeline.lastRecordLsn();
            Optional<WalNodeDirectory.WalNodeInfo> best = directory.furthestAhead(id, from, avoid);
            if (best.isEmpty() || !best.get().commitLsn().isAfter(from)) {
                persistQuietly();
                LockSupport.parkNanos(settings.retry().toNanos() * 5);
                continue;
            }
            WalNodeDirectory.WalNodeInfo node = best.get();
            try {
                stream(node, from);
                avoid.clear();
            } catch (StatusRuntimeException | IOException | WalDecodeException e) {
                if (!closed) {
                    LOG.info(
                            "ingest of {} from WAL node {} ({}) stopped at {}: {}",
                            id,
                            node.node(),
                            node.grpc(),
                            timeline.lastRecordLsn(),
                            e.toString());
                    avoid.add(node.node());
                    LockSupport.parkNanos(settings.retry().toNanos());
                }
            } finally {
                current = Optional.empty();
            }
        }
        persistQuietly();
    }

    private void stream(WalNodeDirectory.WalNodeInfo node, Lsn from) throws IOException {
        ManagedChannel channel = WalNodeChannels.open(node.grpc());
        Context.CancellableContext ctx = Context.current().withCancellation();
        session = ctx;
        current = Optional.of(node.node());
        lastProgress = clock.instant();
        LOG.info("ingesting {} from WAL node {} ({}) at {}", id, node.node(), node.grpc(), from);
        try {
            Context previous = ctx.attach();
            try {
                Timeline.IngestWriter writer = timeline.ingest();
                Iterator<ReadWalResponse> chunks = WalServiceGrpc.newBlockingStub(channel)
                        .readWal(ReadWalRequest.newBuilder()
                                .setTenantTimelineId(id.toWalProto())
                                .setStartLsn(from.value())
                                .build());
                Instant lastPersist = clock.instant();
                while (!closed && chunks.hasNext()) {
                    ReadWalResponse response = chunks.next();
                    if (!response.hasChunk()) {
                        throw new IOException(
                                "WAL node " + node.node() + " refused the read: " + response.getRefusal());
                    }
                    var chunk = response.getChunk();
                    writer.write(Lsn.of(chunk.getBeginLsn()), chunk.getWalData().toByteArray());
                    lastProgress = clock.instant();
                    if (Duration.between(lastPersist, lastProgress).compareTo(settings.persistInterval()) >= 0) {
                        persist(channel);
                        lastPersist = lastProgress;
                    }
                }
            } finally {
                ctx.detach(previous);
            }
        } finally {
            ctx.cancel(null);
            session = null;
            persistQuietly();
            WalNodeChannels.close(channel, Duration.ofSeconds(1));
        }
    }

    /**
     * Called periodically: ends the session when its node has sent nothing for {@code switchAfter} while another
     * node is ahead of what the timeline has, and persists WAL that arrived since the last time.
     */
    public void tick() {
        persistQuietly();
        Context.CancellableContext ctx = session;
        Optional<NodeId> node = current;
        if (ctx != null
                && node.isPresent()
                && Duration.between(lastProgress, clock.instant()).compareTo(settings.switchAfter()) > 0) {
            Lsn have = timeline.lastRecordLsn();
            boolean otherAhead = directory.nodes(id).stream()
                    .anyMatch(i -> !i.node().equals(node.get()) && i.commitLsn().isAfter(have));
            if (otherAhead) {
                LOG.info(
                        "WAL node {} sent nothing for {} while others are ahead of {}: switching",
                        node.get(),
                        settings.switchAfter(),
                        have);
                ctx.cancel(null);
            }
        }
    }

    private void persist(ManagedChannel channel) throws IOException {
        Lsn durable = timeline.persist();
        Lsn remote = timeline.remoteConsistentLsn();
        if (durable.equals(lastPersisted) && remote.equals(lastRemote)) {
            return;
        }
        lastPersisted = durable;
        lastRemote = remote;
        StorageFeedback feedback = StorageFeedback.newBuilder()
                .setNodeId(self.value())
                .setShardId(timeline.tenant().shard().toString())
                .setLastRecordLsn(timeline.lastRecordLsn().value())
                .setDiskConsistentLsn(durable.value())
                .setRemoteConsistentLsn(remote.isValid() ? remote.value() : 0)
                .build();
        try {
            WalServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(2, TimeUnit.SECONDS)
                    .reportStorageFeedback(StorageFeedbackRequest.newBuilder()
                            .setTenantTimelineId(id.toWalProto())
                            .setFeedback(feedback)
                            .build());
        } catch (StatusRuntimeException e) {
            LOG.debug("storage feedback to the WAL node failed: {}", e.toString());
        }
    }

    private void persistQuietly() {
        try {
            timeline.persist();
        } catch (IOException e) {
            LOG.warn("persisting the WAL of {} failed: {}", id, e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        Context.CancellableContext ctx = session;
        if (ctx != null) {
            ctx.cancel(null);
        }
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
