package io.xenondb.controller.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import reactor.core.Disposable;

/**
 * The startup reconcile: asks every registered node what it holds ({@code GET /v1/location_config}), so that the
 * observed state is complete before tenant routes are served. Until it is done {@code /ready} answers 503.
 */
public final class StartupReconcile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StartupReconcile.class);

    private final NodeService nodes;
    private final ControllerMetrics metrics;
    private final Clock clock;
    private final Instant started;
    private volatile boolean done;
    private volatile Disposable running;

    public StartupReconcile(NodeService nodes, ControllerMetrics metrics, Clock clock) {
        this.nodes = nodes;
        this.metrics = metrics;
        this.clock = clock;
        this.started = clock.instant();
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        running = metrics.refresh()
                .thenMany(nodes.list())
                .flatMap(nodes::observe, 16)
                .then()
                .subscribe(v -> {}, e -> LOG.error("startup reconcile failed: {}", e.toString(), e), () -> {
                    done = true;
                    LOG.info("startup reconcile done: every registered storage node asked");
                });
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
