package io.xenondb.controller.service;

import io.xenondb.controller.nodes.NodeAvailability;
import io.xenondb.controller.nodes.NodeResilience;
import io.xenondb.controller.nodes.ObservedState;
import io.xenondb.controller.nodes.StorageNodeHttp;
import io.xenondb.controller.store.NodeRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Node health (Neon's heartbeater): every {@code --heartbeat-interval} each registered storage node is asked
 * {@code GET /v1/utilization}. A node silent for {@code --max-offline-interval} turns Offline (no new work goes
 * there); an Offline node that answers again turns Active: its circuit breaker closes, what it holds is read again,
 * and its shards are reconciled. Transitions are logged once.
 */
public final class Heartbeater implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeater.class);

    private final NodeService nodes;
    private final StorageNodeHttp http;
    private final NodeResilience resilience;
    private final ObservedState observed;
    private final Reconciler reconciler;
    private final ControllerMetrics metrics;
    private final Clock clock;
    private final Duration interval;
    private final Duration maxOffline;
    private final Map<Long, Instant> lastSeen = new ConcurrentHashMap<>();
    private volatile Disposable running;

    public Heartbeater(
            NodeService nodes,
            StorageNodeHttp http,
            NodeResilience resilience,
            ObservedState observed,
            Reconciler reconciler,
            ControllerMetrics metrics,
            Clock clock,
            Duration interval,
            Duration maxOffline) {
        this.nodes = nodes;
        this.http = http;
        this.resilience = resilience;
        this.observed = observed;
        this.reconciler = reconciler;
        this.metrics = metrics;
        this.clock = clock;
        this.interval = Objects.requireNonNull(interval);
        this.maxOffline = Objects.requireNonNull(maxOffline);
    }

    /** Starts the rounds (the first at once); a round still running when the next is due makes that one skip. */
    public synchronized void start() {
        if (running != null) {
            return;
        }
        running = Flux.interval(Duration.ZERO, interval)
                .onBackpressureDrop()
                .concatMap(
                        tick -> round().onErrorResume(e -> {
                            LOG.warn("heartbeat round failed: {}", e.toString());
                            return Mono.empty();
                        }),
                        1)
                .subscribe();
        LOG.info("heartbeats every {} s; a node silent for {} s is Offline", seconds(interval), seconds(maxOffline));
    }

    /** One round: every registered node asked; completes when each answered or timed out. */
    public Mono<Void> round() {
        Instant now = clock.instant();
        Duration timeout = interval.compareTo(maxOffline) < 0 ? interval : maxOffline;
        return nodes.list()
                .flatMap(
                        node -> http.heartbeat(node, timeout)
                                .flatMap(ok -> ok ? answered(node, now) : silent(node, now))
                                .thenReturn(node),
                        32)
                .collectList()
                .doOnNext(all -> {
                    Map<NodeAvailability, Long> counts = new EnumMap<>(NodeAvailability.class);
                    all.forEach(n -> counts.merge(observed.availability(n.nodeId()), 1L, Long::sum));
                    metrics.nodeAvailability(counts);
                })
                .then();
    }

    private Mono<Void> answered(NodeRow node, Instant now) {
        long id = node.nodeId();
        lastSeen.put(id, now);
        resilience.nodeAnswered(id);
        NodeAvailability before = observed.availability(id);
        if (before == NodeAvailability.Active) {
            return Mono.empty();
        }
        LOG.info("storage node {} answers heartbeats again ({} before): reading what it holds", id, before);
        // observe() marks it Active once it told what it holds; only then are its shards compared with it.
        return nodes.observe(node)
                .then(Mono.defer(() -> observed.availability(id) != NodeAvailability.Active
                        ? Mono.empty()
                        : reconciler
                                .reconcileWhere(
                                        shard -> shard.generationNodeId() != null && shard.generationNodeId() == id,
                                        "storage node " + id + " back")
                                .doOnNext(n -> LOG.info(
                                        "storage node {} is Active; {} of its tenant shards reconciled", id, n))
                                .then()));
    }

    private Mono<Void> silent(NodeRow node, Instant now) {
        long id = node.nodeId();
        Instant last = lastSeen.computeIfAbsent(id, k -> now);
        Duration silentFor = Duration.between(last, now);
        if (silentFor.compareTo(maxOffline) >= 0 && observed.availability(id) != NodeAvailability.Offline) {
            observed.setAvailability(id, NodeAvailability.Offline);
            LOG.warn(
                    "storage node {} is Offline: no heartbeat answer for {} s (--max-offline-interval {} s)",
                    id,
                    seconds(silentFor),
                    seconds(maxOffline));
        }
        return Mono.empty();
    }

    private static String seconds(Duration d) {
        return String.valueOf(d.toMillis() / 1000.0);
    }

    @Override
    public synchronized void close() {
        if (running != null) {
            running.dispose();
        }
    }
}
