package io.xenondb.walnode.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Spring settings the WAL node always runs with, given as default properties in code rather than an
 * {@code application.properties}: a WAL node started from another module's classpath must not pick up that
 * module's {@code application.properties}, nor leave its own for others to pick up.
 */
public final class SpringDefaults {
    private SpringDefaults() {}

    public static Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        // Read no application.properties from the classpath (see above).
        p.put("spring.config.name", "xenon-wal-node");
        p.put("spring.application.name", "wal-node");
        p.put("spring.main.banner-mode", "off");
        p.put("spring.main.web-application-type", "reactive");
        // /metrics (Prometheus text, Neon's path) and /health with liveness and readiness groups.
        p.put("management.endpoints.web.base-path", "/");
        p.put("management.endpoints.web.exposure.include", "health,prometheus");
        p.put("management.endpoints.web.path-mapping.prometheus", "metrics");
        p.put("management.endpoint.health.probes.enabled", "true");
        // Proposers ping every 10 s (WalNodeChannels); accept pings that often and while no call is open.
        p.put("spring.grpc.server.keepalive.time", "10s");
        p.put("spring.grpc.server.keepalive.timeout", "20s");
        p.put("spring.grpc.server.keepalive.permit.time", "5s");
        p.put("spring.grpc.server.keepalive.permit.without-calls", "true");
        // Open streams are ended by the timeline registry when stopping; the rest need little grace.
        p.put("spring.grpc.server.shutdown.grace-period", "2s");
        p.put("spring.lifecycle.timeout-per-shutdown-phase", "5s");
        // A failed start ends with one line from WalNodeApplication; Spring's multi-line report is not needed.
        p.put("logging.level.org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter", "off");
        p.put("logging.level.org.springframework.context.support.AbstractApplicationContext", "error");
        p.put("logging.level.org.springframework.boot.autoconfigure.logging.ConditionEvaluationReportLogger", "warn");
        return p;
    }
}
