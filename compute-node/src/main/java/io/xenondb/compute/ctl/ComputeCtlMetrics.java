package io.xenondb.compute.ctl;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.xenondb.compute.walproposer.ProposerMetrics;
import io.xenondb.shared.id.TenantTimelineId;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Every metric of compute_ctl, scraped from {@code GET /metrics} in Prometheus text: {@code compute_ctl_up}
 * (always 1 while the process serves), {@code compute_ctl_state{state}} (1 for the current state, 0 for the
 * others), {@code compute_last_active_seconds} (last_active as Unix seconds, 0 before Running), and the WAL
 * proposer's {@code xenon_walproposer_*} series of a primary ({@link ProposerMetrics}).
 */
public final class ComputeCtlMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public ComputeCtlMetrics(Supplier<ComputeState> state, Supplier<Optional<Instant>> lastActive) {
        Gauge.builder("compute.ctl.up", () -> 1)
                .description("1 while compute_ctl serves")
                .register(registry);
        for (ComputeState each : ComputeState.values()) {
            Gauge.builder("compute.ctl.state", () -> state.get() == each ? 1 : 0)
                    .description("1 for the compute's current state")
                    .tag("state", each.name())
                    .register(registry);
        }
        Gauge.builder(
                        "compute.last.active",
                        () -> lastActive
                                .get()
                                .map(at -> at.toEpochMilli() / 1000.0)
                                .orElse(0.0))
                .description("The last time a client was connected (or the start), as Unix time")
                .baseUnit("seconds")
                .register(registry);
    }

    /** Metrics for the WAL proposer of {@code timeline}, exported with these. */
    public ProposerMetrics proposerMetrics(TenantTimelineId timeline) {
        return new ProposerMetrics(registry, timeline);
    }

    /** The Prometheus text of every metric. */
    public String scrape() {
        return registry.scrape();
    }
}
