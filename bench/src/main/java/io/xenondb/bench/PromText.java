package io.xenondb.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The samples of a Prometheus text page, by series name (with labels, as written). */
final class PromText {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, Double> samples;

    private PromText(Map<String, Double> samples) {
        this.samples = samples;
    }

    static PromText parse(String text) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            try {
                samples.put(line.substring(0, space).trim(), Double.parseDouble(line.substring(space + 1)));
            } catch (NumberFormatException e) {
                // Not a sample line: skip it, a benchmark report does without it.
            }
        }
        return new PromText(samples);
    }

    static PromText fetch(String url) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return parse(response.body());
        } catch (IOException e) {
            return new PromText(Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PromText(Map.of());
        }
    }

    /** The value of a series without labels, 0 if absent. */
    double value(String series) {
        return samples.getOrDefault(series, 0.0);
    }
}
