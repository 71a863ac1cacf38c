package io.xenondb.walnode.timeline;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.Acceptor;
import io.xenondb.walnode.consensus.message.GreetRequest;
import io.xenondb.walnode.consensus.message.ServerInfo;
import io.xenondb.walnode.metrics.WalNodeMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The timelines this WAL node holds (Neon's GlobalTimelines): discovers them from storage at start, creates and
 * deletes them, hands out their actors, checkpoints them periodically and closes them when the node stops.
 * Creation and deletion are rare and serialized under one lock, on a blocking-friendly scheduler, never on a
 * gRPC or Netty thread.
 */
public final class TimelineRegistry implements SmartLifecycle, ApplicationListener<ContextClosedEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(TimelineRegistry.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final NodeId nodeId;
    private final TimelineStorageFactory storage;
    private final WalNodeMetrics metrics;
    private final Duration checkpointInterval;
    private final ExecutorService actors = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<TenantTimelineId, TimelineActor> timelines = new ConcurrentHashMap<>();
    private final Map<TenantTimelineId, Runnable> gauges = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private Disposable checkpoints;
    private volatile boolean running;

    public TimelineRegistry(
            NodeId nodeId, TimelineStorageFactory storage, WalNodeMetrics metrics, Duration checkpointInterval) {
        this.nodeId = nodeId;
        this.storage = storage;
        this.metrics = metrics;
        this.checkpointInterval = checkpointInterval;
        metrics.timelineCount(timelines::size);
    }

    public NodeId nodeId() {
        return nodeId;
    }

    /** The actor of a timeline held here. */
    public TimelineActor get(TenantTimelineId timeline) {
        TimelineActor actor = timelines.get(timeline);
        if (actor == null) {
            throw new XenonException(ErrorCode.NOT_FOUND, "timeline " + timeline + " is not on WAL node " + nodeId);
        }
        return actor;
    }

    public Optional<TimelineActor> find(TenantTimelineId timeline) {
        return Optional.ofNullable(timelines.get(timeline));
    }

    /** Every timeline held, in id order. */
    public List<TimelineActor> timelines() {
        return timelines.values().stream()
                .sorted((a, b) -> a.id().compareTo(b.id()))
                .toList();
    }

    /**
     * The timeline a greeting names; created as it asks if absent and {@code allow_timeline_creation} is set,
     * else NOT_FOUND.
     */
    public Mono<TimelineActor> forGreeting(GreetRequest greeting) {
        TimelineActor existing = timelines.get(greeting.timeline());
        if (existing != null) {
            return Mono.just(existing);
        }
        return blocking(() -> createLocked(greeting));
    }

    /** Creates a timeline (Neon's POST /v1/tenant/timeline); an existing one is returned as it is. */
    public Mono<TimelineActor> create(TenantTimelineId timeline, ServerInfo serverInfo, Lsn startLsn) {
        return forGreeting(new GreetRequest(timeline, "http-api", serverInfo, true, startLsn));
    }

    /** Deletes a timeline and its files; true if anything existed. Open streams end with NOT_FOUND. */
    public Mono<Boolean> delete(TenantTimelineId timeline) {
        return blocking(() -> deleteLocked(timeline));
    }

    /** Deletes every timeline of a tenant: timeline id → whether it existed. */
    public Mono<Map<TimelineId, Boolean>> deleteTenant(TenantId tenant) {
        return blocking(() -> {
            Map<TimelineId, Boolean> deleted = new TreeMap<>();
            for (TenantTimelineId timeline : List.copyOf(timelines.keySet())) {
                if (timeline.tenantId().equals(tenant)) {
                    deleted.put(timeline.timelineId(), deleteLocked(timeline));
                }
            }
            return deleted;
        });
    }

    @Override
    public void start() {
        synchronized (lock) {
            for (TenantTimelineId timeline : storage.discover()) {
                try {
                    TimelineStorage stores = storage.open(timeline);
                    register(timeline, Acceptor.open(nodeId, stores.wal(), stores.control()), stores);
                } catch (XenonException e) {
                    // One damaged timeline must not keep the others offline; it stays on disk for inspection.
                    LOG.error("timeline {} could not be opened and is not served: {}", timeline, e.getMessage());
                }
            }
            running = true;
        }
        LOG.info("WAL node {} holds {} timeline(s), stored in {}", nodeId, timelines.size(), storage.describe());
        checkpoints = Flux.interval(checkpointInterval, checkpointInterval, Schedulers.parallel())
                .onBackpressureDrop()
                .concatMap(tick -> Flux.fromIterable(timelines.values())
                        .flatMap(actor -> actor.checkpoint().onErrorResume(e -> Mono.empty())))
                .subscribe();
    }

    /**
     * The node is stopping: end every open stream now (UNAVAILABLE), before the gRPC server's graceful shutdown,
     * which would otherwise wait for them. Spring publishes this before stopping any lifecycle.
     */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        stop();
    }

    @Override
    public void stop() {
        if (checkpoints != null) {
            checkpoints.dispose();
        }
        synchronized (lock) {
            if (!running) {
                return;
            }
            running = false;
            XenonException reason = new XenonException(ErrorCode.UNAVAILABLE, "WAL node " + nodeId + " is stopping");
            Flux.fromIterable(List.copyOf(timelines.values()))
                    .flatMap(actor -> actor.close(reason))
                    .then()
                    .block(CLOSE_TIMEOUT);
            int closed = timelines.size();
            timelines.clear();
            gauges.values().forEach(Runnable::run);
            gauges.clear();
            LOG.info("WAL node {} stopped serving its {} timeline(s)", nodeId, closed);
        }
        actors.shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the gRPC server (Integer.MAX_VALUE), so that every timeline is loaded when it serves. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    private TimelineActor createLocked(GreetRequest greeting) {
        TenantTimelineId timeline = greeting.timeline();
        synchronized (lock) {
            requireRunning();
            TimelineActor existing = timelines.get(timeline);
            if (existing != null) {
                return existing;
            }
            if (!greeting.allowTimelineCreation()) {
                throw new XenonException(
                        ErrorCode.NOT_FOUND,
                        "timeline " + timeline + " is not on WAL node " + nodeId
                                + " (expected: an existing timeline, or allow_timeline_creation)");
            }
            if (!greeting.timelineStartLsn().isValid()) {
                throw new XenonException(
                        ErrorCode.INVALID_LSN,
                        "timeline_start_lsn: " + greeting.timelineStartLsn()
                                + " (expected: a valid lsn where the new timeline's WAL starts)");
            }
            TimelineStorage stores = storage.create(timeline, greeting.timelineStartLsn());
            Acceptor acceptor;
            try {
                acceptor = Acceptor.create(nodeId, stores.wal(), stores.control(), greeting);
            } catch (RuntimeException e) {
                stores.close();
                storage.delete(timeline);
                throw e;
            }
            LOG.info("created timeline {} starting at {}", timeline, greeting.timelineStartLsn());
            return register(timeline, acceptor, stores);
        }
    }

    private TimelineActor register(TenantTimelineId timeline, Acceptor acceptor, TimelineStorage stores) {
        TimelineActor actor = new TimelineActor(timeline, acceptor, stores, actors, metrics);
        timelines.put(timeline, actor);
        gauges.put(
                timeline, metrics.timelineGauges(timeline, () -> actor.state().positions()));
        return actor;
    }

    private boolean deleteLocked(TenantTimelineId timeline) {
        synchronized (lock) {
            TimelineActor actor = timelines.remove(timeline);
            if (actor != null) {
                actor.close(new XenonException(
                                ErrorCode.NOT_FOUND, "timeline " + timeline + " was deleted from WAL node " + nodeId))
                        .block(CLOSE_TIMEOUT);
                Runnable removeGauges = gauges.remove(timeline);
                if (removeGauges != null) {
                    removeGauges.run();
                }
            }
            boolean existed = storage.delete(timeline) || actor != null;
            if (existed) {
                LOG.info("deleted timeline {}", timeline);
            }
            return existed;
        }
    }

    private void requireRunning() {
        if (!running) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "WAL node " + nodeId + " is not running");
        }
    }

    private static <T> Mono<T> blocking(java.util.concurrent.Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
    }
}
