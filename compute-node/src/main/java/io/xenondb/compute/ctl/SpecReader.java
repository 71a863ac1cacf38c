package io.xenondb.compute.ctl;

import io.xenondb.compute.walproposer.WalNodeEndpoint;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TimelineId;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a {@link ComputeSpec} from its JSON (snake_case, Neon's field names). Every mistake — malformed JSON, an
 * unknown or missing field, a value of the wrong type or range — is a {@link XenonException} of a user-input code
 * whose message names the field, what was given and what was expected.
 */
public final class SpecReader {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private static final List<String> REQUIRED =
            List.of("tenant_id", "timeline_id", "mode", "pageserver_connstring", "pg_port");
    private static final List<String> FIELDS = List.of(
            "tenant_id",
            "timeline_id",
            "mode",
            "safekeeper_connstrings",
            "safekeepers_generation",
            "pageserver_connstring",
            "pg_port",
            "suspend_timeout_seconds",
            "storage_auth_token",
            "settings",
            "image_cache");

    private SpecReader() {}

    /** Parses the text of a spec file. */
    public static ComputeSpec parse(String json) {
        if (json == null || json.isBlank()) {
            throw invalid("spec: empty (expected: a JSON object with " + String.join(", ", REQUIRED) + ")");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JacksonException e) {
            throw invalid("spec: malformed JSON: " + firstLine(e.getOriginalMessage()));
        }
        return read(tree);
    }

    /** Reads a spec from parsed JSON (e.g. the {@code spec} of a {@code /configure} body). */
    public static ComputeSpec read(JsonNode tree) {
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw invalid("spec: missing (expected: a JSON object with " + String.join(", ", REQUIRED) + ")");
        }
        if (!tree.isObject()) {
            throw invalid("spec: " + shown(tree.toString()) + " (expected: a JSON object)");
        }
        for (String name : tree.propertyNames()) {
            if (!FIELDS.contains(name)) {
                throw invalid("spec: unknown field '" + shown(name) + "' (expected one of: " + String.join(", ", FIELDS)
                        + ")");
            }
        }
        for (String name : FIELDS) {
            if (REQUIRED.contains(name) && absent(tree.get(name))) {
                throw invalid("spec: missing field '" + name + "'");
            }
        }
        return new ComputeSpec(
                text(tree, "tenant_id", TenantId::parse),
                text(tree, "timeline_id", TimelineId::parse),
                field("mode", () -> ComputeMode.fromJson(tree.get("mode"))),
                safekeepers(tree.get("safekeeper_connstrings")),
                optionalLong(tree, "safekeepers_generation", 0),
                text(tree, "pageserver_connstring", ListenAddress::parse),
                (int) number(tree, "pg_port", 1, 65535),
                suspendTimeout(tree),
                absent(tree.get("storage_auth_token")) ? null : text(tree, "storage_auth_token", t -> t),
                settings(tree.get("settings")),
                absent(tree.get("image_cache")) ? null : text(tree, "image_cache", SpecReader::path));
    }

    private static List<WalNodeEndpoint> safekeepers(JsonNode node) {
        if (absent(node)) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid(
                    "safekeeper_connstrings: " + shown(node.toString()) + " (expected: an array of \"id@host:port\")");
        }
        List<WalNodeEndpoint> endpoints = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isString()) {
                throw invalid("safekeeper_connstrings: " + shown(item.toString()) + " (expected: \"id@host:port\")");
            }
            endpoints.add(field("safekeeper_connstrings", () -> WalNodeEndpoint.parse(item.asString())));
        }
        return endpoints;
    }

    private static Optional<Duration> suspendTimeout(JsonNode tree) {
        if (absent(tree.get("suspend_timeout_seconds"))) {
            return Optional.empty();
        }
        long seconds = number(tree, "suspend_timeout_seconds", -1, Integer.MAX_VALUE);
        if (seconds == 0) {
            throw invalid("suspend_timeout_seconds: 0 (expected: -1 for never, or 1 or more)");
        }
        return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    }

    private static Map<String, String> settings(JsonNode node) {
        if (absent(node)) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw invalid("settings: " + shown(node.toString()) + " (expected: an object of setting: value)");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode value = entry.getValue();
            if (!value.isString() && !value.isNumber() && !value.isBoolean()) {
                throw invalid("settings: " + shown(entry.getKey()) + " = " + shown(value.toString())
                        + " (expected: a string, number or boolean)");
            }
            settings.put(entry.getKey(), value.asString());
        }
        return settings;
    }

    private static long optionalLong(JsonNode tree, String name, long absentValue) {
        return absent(tree.get(name)) ? absentValue : number(tree, name, 0, Long.MAX_VALUE);
    }

    private static long number(JsonNode tree, String name, long min, long max) {
        JsonNode node = tree.get(name);
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < min || node.asLong() > max) {
            throw invalid(name + ": " + shown(node.toString()) + " (expected: a whole number " + min + "-" + max + ")");
        }
        return node.asLong();
    }

    private static <T> T text(JsonNode tree, String name, Function<String, T> parser) {
        JsonNode node = tree.get(name);
        if (!node.isString()) {
            throw invalid(name + ": " + shown(node.toString()) + " (expected: a string)");
        }
        return field(name, () -> parser.apply(node.asString()));
    }

    /** Runs a parser; its typed error is re-said under the spec's field name. */
    private static <T> T field(String name, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (XenonException e) {
            if (e.getMessage().startsWith(name + ":")) {
                throw e;
            }
            throw new XenonException(e.code(), name + ": " + e.getMessage(), e);
        }
    }

    private static Path path(String text) {
        try {
            if (text.isBlank()) {
                throw invalid("image_cache: blank (expected: a directory path)");
            }
            return Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw invalid("image_cache: " + shown(text) + " (expected: a directory path)");
        }
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }

    static String shown(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return shown(newline < 0 ? text : text.substring(0, newline));
    }
}
