package io.xenondb.service.spring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spring settings every Xenon service runs with, given as default properties in code rather than an
 * {@code application.properties}: a service started from another module's classpath must not pick up that
 * module's {@code application.properties}, nor auto-configure what that classpath happens to carry.
 */
public final class ServiceDefaults {
    /** Auto-configurations of stacks a node does not use but other modules' classpaths carry. */
    public static final List<String> FOREIGN_AUTO_CONFIGURATIONS = List.of(
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration",
            "org.springframework.boot.data.r2dbc.autoconfigure.DataR2dbcAutoConfiguration",
            "org.springframework.boot.data.r2dbc.autoconfigure.DataR2dbcRepositoriesAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.grpc.server.autoconfigure.security.GrpcServerSecurityAutoConfiguration",
            "org.springframework.boot.grpc.server.autoconfigure.security.GrpcServerOAuth2ResourceServerAutoConfiguration");

    private ServiceDefaults() {}

    /**
     * The settings of a service named {@code name} that runs its own servers (the broker): no Spring web or gRPC
     * server of its own, whatever the classpath carries, and no foreign auto-configuration.
     */
    public static Map<String, Object> ownServers(String name) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.config.name", "xenon-" + name);
        p.put("spring.application.name", name);
        p.put("spring.main.banner-mode", "off");
        p.put("spring.main.web-application-type", "none");
        p.put("spring.grpc.server.enabled", "false");
        p.put("spring.autoconfigure.exclude", String.join(",", FOREIGN_AUTO_CONFIGURATIONS));
        // Liveness and readiness groups even outside Kubernetes.
        p.put("management.endpoint.health.probes.enabled", "true");
        // A failed start ends with one line from the application's main; Spring's multi-line report is not needed.
        p.put("logging.level.org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter", "off");
        p.put("logging.level.org.springframework.context.annotation.AnnotationConfigApplicationContext", "error");
        p.put("logging.level.org.springframework.boot.autoconfigure.logging.ConditionEvaluationReportLogger", "warn");
        return p;
    }

    /**
     * The settings of a node (storage node, WAL node) named {@code name}: reactive web server with /metrics and
     * /health, gRPC keepalive as the clients use it, short shutdown, one-line startup failures.
     */
    public static Map<String, Object> node(String name) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.config.name", "xenon-" + name);
        p.put("spring.application.name", name);
        p.put("spring.main.banner-mode", "off");
        p.put("spring.main.web-application-type", "reactive");
        // Excluding an auto-configuration that is not on the classpath is allowed and does nothing.
        p.put("spring.autoconfigure.exclude", String.join(",", FOREIGN_AUTO_CONFIGURATIONS));
        // /metrics (Prometheus text, Neon's path) and /health with liveness and readiness groups.
        p.put("management.endpoints.web.base-path", "/");
        p.put("management.endpoints.web.exposure.include", "health,prometheus");
        p.put("management.endpoints.web.path-mapping.prometheus", "metrics");
        p.put("management.endpoint.health.probes.enabled", "true");
        // Clients ping every 10 s (WalNodeChannels); accept pings that often and while no call is open.
        p.put("spring.grpc.server.keepalive.time", "10s");
        p.put("spring.grpc.server.keepalive.timeout", "20s");
        p.put("spring.grpc.server.keepalive.permit.time", "5s");
        p.put("spring.grpc.server.keepalive.permit.without-calls", "true");
        p.put("spring.grpc.server.shutdown.grace-period", "2s");
        p.put("spring.lifecycle.timeout-per-shutdown-phase", "5s");
        // A failed start ends with one line from the application's main; Spring's multi-line report is not needed.
        p.put("logging.level.org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter", "off");
        p.put("logging.level.org.springframework.context.support.AbstractApplicationContext", "error");
        p.put("logging.level.org.springframework.boot.autoconfigure.logging.ConditionEvaluationReportLogger", "warn");
        return p;
    }
}
