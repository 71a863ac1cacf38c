package io.xenondb.controller;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP calls of the controller's tests: one client, one answer type, JSON bodies. No answer at all is status
 * -1 with the exception's text as the body, so a test can assert on it rather than die in a helper.
 */
final class TestHttp {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = newClient();

    private TestHttp() {}

    /** Status, body, and the Retry-After header if any. */
    record Answer(int status, String body, String retryAfter) {
        Answer(int status, String body) {
            this(status, body, null);
        }

        JsonNode json() {
            return JSON.readTree(body);
        }

        String msg() {
            JsonNode msg = json().get("msg");
            return msg == null ? "" : msg.asString();
        }
    }

    static Answer exchange(String method, String url, String body) {
        return exchange(method, url, body, null);
    }

    /** One request on the shared client; {@code authorization} is the whole header value, or null. */
    static Answer exchange(String method, String url, String body, String authorization) {
        // A body over the server's limit gets its own client: the server closes that connection after its 400,
        // and the shared client could hand the closed connection to the next request.
        if (body != null && body.length() > 1_000_000) {
            try (HttpClient client = newClient()) {
                return send(client, request(method, url, body, authorization, Duration.ofMinutes(2)));
            }
        }
        return send(CLIENT, request(method, url, body, authorization, Duration.ofMinutes(2)));
    }

    /**
     * One request on a connection of its own: after a refusal, a request on the JDK client's pooled connection once
     * hung for its whole timeout (curl over one kept-alive connection never did).
     */
    static Answer exchangeOnNewConnection(String method, String url, String body, String authorization) {
        try (HttpClient client = newClient()) {
            return send(client, request(method, url, body, authorization, Duration.ofSeconds(10)));
        }
    }

    private static HttpRequest request(String method, String url, String body, String authorization, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    private static Answer send(HttpClient client, HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    response.statusCode(),
                    response.body(),
                    response.headers().firstValue("Retry-After").orElse(null));
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }
}
