package io.xenondb.shared.client;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON over HTTP for Xenon's typed clients: requests with JSON bodies, answers decoded into records, and error
 * answers ({@code {"msg": "..."}}, the house form) turned into {@link XenonException}s by status.
 */
final class JsonHttp implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_SHOWN_BODY = 200;

    private final String service;
    private final URI base;
    private final Duration timeout;
    private final HttpClient client;

    JsonHttp(String service, URI base, Duration timeout) {
        this.service = service;
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    <T> T get(String path, Class<T> type) {
        return decode(exchange("GET", path, null), path, type, null);
    }

    <T> T get(String path, TypeReference<T> type) {
        return decode(exchange("GET", path, null), path, null, type);
    }

    <T> T send(String method, String path, Object body, Class<T> type) {
        return decode(exchange(method, path, body), path, type, null);
    }

    <T> T send(String method, String path, Object body, TypeReference<T> type) {
        return decode(exchange(method, path, body), path, null, type);
    }

    @Override
    public void close() {
        client.close();
    }

    private HttpResponse<String> exchange(String method, String path, Object body) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE,
                    service + " at " + base + " did not answer " + method + " " + path + ": " + e,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenonException(
                    ErrorCode.UNAVAILABLE, method + " " + path + " to " + service + " at " + base + " interrupted", e);
        }
    }

    private <T> T decode(HttpResponse<String> response, String path, Class<T> type, TypeReference<T> reference) {
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw error(response, path);
        }
        if (type == Void.class) {
            return null;
        }
        try {
            return type != null ? JSON.readValue(response.body(), type) : JSON.readValue(response.body(), reference);
        } catch (JacksonException | XenonException e) {
            throw new XenonException(
                    ErrorCode.INTERNAL,
                    service + " at " + base + " answered " + path + " with " + shown(response.body()) + " ("
                            + e.getMessage() + ")",
                    e);
        }
    }

    private XenonException error(HttpResponse<String> response, String path) {
        int status = response.statusCode();
        String message = null;
        try {
            JsonNode msg = JSON.readTree(response.body()).get("msg");
            if (msg != null && msg.isString()) {
                message = msg.asString();
            }
        } catch (JacksonException e) {
            // Not the house error form (e.g. a proxy's page): the status and the body say enough.
        }
        if (message == null) {
            message = service + " at " + base + " answered " + path + " with HTTP " + status + ": "
                    + shown(response.body());
        }
        ErrorCode code = switch (status) {
            case 400, 405, 406, 411, 413, 415, 422 -> ErrorCode.INVALID_ARGUMENT;
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 403 -> ErrorCode.PERMISSION_DENIED;
            case 404 -> ErrorCode.NOT_FOUND;
            case 409, 412 -> ErrorCode.CONFLICT;
            case 429, 502, 503, 504 -> ErrorCode.UNAVAILABLE;
            default -> ErrorCode.INTERNAL;
        };
        return new XenonException(code, message);
    }

    private static String shown(String body) {
        if (body == null || body.isEmpty()) {
            return "an empty body";
        }
        return body.length() <= MAX_SHOWN_BODY ? body : body.substring(0, MAX_SHOWN_BODY) + "...";
    }
}
