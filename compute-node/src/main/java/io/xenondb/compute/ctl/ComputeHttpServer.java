package io.xenondb.compute.ctl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.ErrorCategory;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * compute_ctl's HTTP API (Neon's routes): {@code GET /status}, {@code POST /configure} ({@code {"spec": ...}}),
 * {@code POST /terminate}, {@code GET /metrics}, {@code GET /health}. Failures answer {@code {"msg": ...}} with the
 * status of their error category ({@link #status}). The JDK's HTTP server on virtual threads: a handful of small
 * routes need nothing more, and it starts in milliseconds.
 */
public final class ComputeHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ComputeHttpServer.class);
    private static final String JSON = "application/json";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final int MAX_BODY = 1 << 20;
    private static final Duration TERMINATE_TIMEOUT = Duration.ofSeconds(90);

    private final ComputeNode node;
    private final ComputeCtlMetrics metrics;
    private final HttpServer server;
    private final ExecutorService executor;

    private ComputeHttpServer(ComputeNode node, ComputeCtlMetrics metrics, HttpServer server) {
        this.node = node;
        this.metrics = metrics;
        this.server = server;
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Listens on {@code address} and serves.
     *
     * @throws XenonException UNAVAILABLE when the address cannot be bound (e.g. the port is in use)
     */
    public static ComputeHttpServer start(ListenAddress address, ComputeNode node, ComputeCtlMetrics metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(address.toSocketAddress(), 64);
        } catch (IOException e) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE, "http: cannot listen on " + address + " (" + e.getMessage() + ")", e);
        }
        ComputeHttpServer http = new ComputeHttpServer(node, metrics, server);
        server.start();
        return http;
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The HTTP status of an error category: the one place compute_ctl maps them. */
    static int status(ErrorCategory category) {
        return switch (category) {
            case USER_INPUT -> 400;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case NOT_ACCEPTABLE -> 406;
            case CONFLICT -> 409;
            case UNAVAILABLE -> 503;
            case CORRUPTION, INTERNAL -> 500;
        };
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            try {
                route(exchange, method, path);
            } catch (XenonException e) {
                respondError(exchange, status(e.category()), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", method, path, e);
                respondError(exchange, 500, "internal error");
            }
        } catch (IOException e) {
            LOG.debug("answering failed: {}", e.toString());
        }
    }

    private void route(HttpExchange exchange, String method, String path) throws IOException {
        String allowed = switch (path) {
            case "/status", "/metrics", "/health" -> "GET";
            case "/configure", "/terminate" -> "POST";
            default -> null;
        };
        if (allowed == null) {
            respondError(exchange, 404, "no route: " + method + " " + SpecReader.shown(path));
            return;
        }
        if (!allowed.equals(method)) {
            exchange.getResponseHeaders().set("Allow", allowed);
            respondError(exchange, 405, "method " + method + " on " + path + " (expected: " + allowed + ")");
            return;
        }
        switch (path) {
            case "/status" -> respondJson(exchange, 200, node.status().toJson());
            case "/health" ->
                respondJson(exchange, 200, Map.of("status", node.state().name()));
            case "/metrics" -> respond(exchange, 200, PROMETHEUS_TEXT, metrics.scrape());
            case "/configure" -> {
                node.configure(configureBody(exchange));
                respondJson(exchange, 200, node.status().toJson());
            }
            case "/terminate" -> {
                if (!node.terminate(StateFile.Ending.Terminated, TERMINATE_TIMEOUT)) {
                    throw new XenonException(
                            ErrorCode.UNAVAILABLE, "terminate: PostgreSQL did not stop within " + TERMINATE_TIMEOUT);
                }
                respondJson(exchange, 200, node.status().toJson());
            }
            default -> throw new IllegalStateException(path);
        }
    }

    /** The {@code spec} of a {@code /configure} body, {@code {"spec": {...}}}. */
    private static ComputeSpec configureBody(HttpExchange exchange) throws IOException {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw SpecReader.invalid("configure: body larger than " + MAX_BODY + " bytes");
            }
            body = SpecReader.JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw SpecReader.invalid("configure: malformed JSON body: " + SpecReader.firstLine(e.getOriginalMessage()));
        }
        if (body == null || !body.isObject()) {
            boolean missing = body == null || body.isMissingNode();
            throw SpecReader.invalid("configure: body " + (missing ? "missing" : SpecReader.shown(body.toString()))
                    + " (expected: {\"spec\": {...}})");
        }
        for (String name : body.propertyNames()) {
            if (!name.equals("spec")) {
                throw SpecReader.invalid(
                        "configure: unknown field '" + SpecReader.shown(name) + "' (expected: {\"spec\": {...}})");
            }
        }
        return SpecReader.read(body.get("spec"));
    }

    private static void respondError(HttpExchange exchange, int status, String msg) throws IOException {
        respondJson(exchange, status, Map.of("msg", msg));
    }

    private static void respondJson(HttpExchange exchange, int status, Object body) throws IOException {
        respond(exchange, status, JSON, SpecReader.JSON.writeValueAsString(body));
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops serving, letting answers under way (the one to {@code /terminate}) finish for up to a second. */
    @Override
    public void close() {
        server.stop(1);
        executor.close();
    }
}
