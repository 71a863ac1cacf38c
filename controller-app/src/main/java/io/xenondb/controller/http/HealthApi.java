package io.xenondb.controller.http;

import io.xenondb.controller.service.ControllerMetrics;
import io.xenondb.controller.service.StartupReconcile;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code /live}, {@code /ready} (503 until the startup reconcile is done) and {@code /status}; no auth. */
@RestController
public class HealthApi {
    private final StartupReconcile startup;
    private final ControllerMetrics metrics;
    private final String version;

    public HealthApi(StartupReconcile startup, ControllerMetrics metrics) {
        this.startup = startup;
        this.metrics = metrics;
        String implementation = HealthApi.class.getPackage().getImplementationVersion();
        this.version = implementation != null ? implementation : "0.1.0-SNAPSHOT";
    }

    @GetMapping("/live")
    public Map<String, Object> live() {
        return Map.of();
    }

    @GetMapping("/ready")
    public Mono<Map<String, Object>> ready() {
        return startup.isDone()
                ? Mono.just(Map.of())
                : Mono.error(
                        new XenonException(ErrorCode.UNAVAILABLE, "not ready: the startup reconcile is not done yet"));
    }

    @GetMapping("/status")
    public Map<String, Object> status() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", version);
        body.put("uptime_seconds", startup.uptime().toSeconds());
        body.put("reconciler_tasks_active", metrics.reconcilesActive());
        body.put("reconciler_tasks_queued", metrics.reconcilesQueued());
        return body;
    }
}
