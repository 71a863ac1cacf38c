package io.xenondb.controller.service;

import io.xenondb.controller.nodes.NodeAvailability;
import io.xenondb.controller.nodes.ObservedState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The startup reconcile: asks every registered node what it holds ({@code GET /v1/location_config}), then
 * reconciles every shard whose node is Active but does not hold it in its current generation (and every shard never
 * attached); shards of Offline nodes wait for their node's return (see {@link Heartbeater}), which the heartbeats
 * started afterwards watch for. Until it is done {@code /ready} answers 503.
 */
public final class StartupReconcile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StartupReconcile.class);

    private final NodeService nodes;
    private final ObservedState observed;
    private final Reconciler reconciler;
    private final Heartbeater heartbeater;
    private final ControllerMetrics metrics;
    private final Clock clock;
    private final Instant started;
    private volatile boolean done;
    private volatile Disposable running;

    public StartupReconcile(
            NodeService nodes,
            ObservedState observed,
            Reconciler reconciler,
            Heartbeater heartbeater,
            ControllerMetrics metrics,
            Clock clock) {
        this.nodes = nodes;
        this.observed = observed;
        this.reconciler = reconciler;
        this.heartbeater = heartbeater;
        this.metrics = metrics;
        this.clock = clock;
        this.started = clock.instant();
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        running = metrics.refresh()
                .thenMany(nodes.list())
                .flatMap(nodes::observe, 16)
                .then(Mono.defer(() -> reconciler.reconcileWhere(
                        shard -> shard.generationNodeId() == null
                                || observed.availability(shard.generationNodeId()) == NodeAvailability.Active,
                        "startup")))
                .subscribe(
                        reconciled -> {
                            done = true;
                            LOG.info(
                                    "startup reconcile done: every registered storage node asked, {} tenant shard(s)"
                                            + " reconciled",
                                    reconciled);
                            heartbeater.start();
                        },
                        e -> LOG.error("startup reconcile failed: {}", e.toString(), e));
    }

    public boolean isDone() {
        return done;
    }

    public Duration uptime() {
        return Duration.between(started, clock.instant());
    }

    @Override
    public void close() {
        Disposable d = running;
        if (d != null) {
            d.dispose();
        }
    }
}
