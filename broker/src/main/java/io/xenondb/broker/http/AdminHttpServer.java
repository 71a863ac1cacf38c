package io.xenondb.broker.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.SmartLifecycle;

/**
 * The broker's HTTP port: {@code GET /metrics} (Prometheus text), {@code GET /status} (overall health, Neon's path),
 * {@code GET /health/liveness} and {@code /health/readiness} (probes). Health answers {@code {"status":"UP"}} with
 * 200, or 503 with the status otherwise. The JDK's HTTP server on virtual threads is all two read-only endpoints need.
 */
public final class AdminHttpServer implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHttpServer.class);
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final String name;
    private final ListenAddress address;
    private final PrometheusMeterRegistry prometheus;
    private final HealthEndpoint health;

    private HttpServer server;
    private ExecutorService executor;
    private boolean running;

    public AdminHttpServer(
            String name, ListenAddress address, PrometheusMeterRegistry prometheus, HealthEndpoint health) {
        this.name = name;
        this.address = address;
        this.prometheus = prometheus;
        this.health = health;
    }

    @Override
    public synchronized void start() {
        if (running || server != null) {
            throw new IllegalStateException(name + " HTTP server: started twice");
        }
        try {
            server = HttpServer.create(address.toSocketAddress(), 64);
        } catch (IOException e) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE,
                    name + " HTTP: cannot listen on " + address + " (" + e.getMessage() + ")",
                    e);
        }
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        running = true;
        LOG.info(
                "{} serving HTTP (/metrics, /status, /health/liveness, /health/readiness) on {}", name, boundAddress());
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        server.stop(0);
        executor.close();
        LOG.info("{} HTTP server stopped", name);
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    /** The address actually bound: with port 0 in the configuration, the port the OS picked. */
    public synchronized ListenAddress boundAddress() {
        if (server == null) {
            throw new IllegalStateException(name + " HTTP server is not started");
        }
        return address.withPort(server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!exchange.getRequestMethod().equals("GET")
                    && !exchange.getRequestMethod().equals("HEAD")) {
                respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed: use GET\n");
                return;
            }
            switch (path) {
                case "/metrics" -> respond(exchange, 200, PROMETHEUS_TEXT, prometheus.scrape());
                case "/status" -> respondHealth(exchange, health.health());
                case "/health/liveness" -> respondHealth(exchange, health.healthForPath("liveness"));
                case "/health/readiness" -> respondHealth(exchange, health.healthForPath("readiness"));
                default -> respond(exchange, 404, "text/plain; charset=utf-8", "not found: " + path + "\n");
            }
        } catch (RuntimeException e) {
            LOG.error("{} HTTP request failed", name, e);
        }
    }

    private static void respondHealth(HttpExchange exchange, HealthDescriptor descriptor) throws IOException {
        if (descriptor == null) {
            respond(exchange, 404, "text/plain; charset=utf-8", "no such health group\n");
            return;
        }
        Status status = descriptor.getStatus();
        int code = Status.UP.equals(status) ? 200 : 503;
        respond(exchange, code, "application/json", "{\"status\":\"" + status.getCode() + "\"}");
    }

    private static void respond(HttpExchange exchange, int code, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(code, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
