package io.xenondb.cli.local;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.io.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * An endpoint of the local system (a named compute): what it runs on, kept in
 * {@code <repo>/endpoints/<name>/endpoint.json}. Its compute_ctl's log, pid, pgdata, image cache and
 * {@code compute.state} live in the same directory.
 *
 * @param lsn null for a primary; the LSN of a static (read-only) endpoint
 * @param suspendTimeoutSeconds -1: never suspends
 */
public record Endpoint(
        @JsonProperty("name") String name,
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("timeline_id") String timelineId,
        @JsonProperty("branch_name") String branch,
        @JsonProperty("lsn") String lsn,
        @JsonProperty("pg_port") int pgPort,
        @JsonProperty("http_port") int httpPort,
        @JsonProperty("suspend_timeout_seconds") long suspendTimeoutSeconds) {
    private static final String FILE = "endpoint.json";
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    @JsonIgnore
    public boolean isStatic() {
        return lsn != null;
    }

    public static Path root(Path repo) {
        return repo.resolve("endpoints");
    }

    public static Path dir(Path repo, String name) {
        return root(repo).resolve(name);
    }

    /** The endpoint {@code name}; NOT_FOUND naming it when there is none. */
    public static Endpoint load(Path repo, String name) {
        Path file = dir(repo, name).resolve(FILE);
        try {
            return JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), Endpoint.class);
        } catch (NoSuchFileException e) {
            throw new XenonException(
                    ErrorCode.NOT_FOUND, "endpoint " + name + ": no such endpoint (see 'xenon endpoint list')");
        } catch (IOException | JacksonException e) {
            throw new XenonException(ErrorCode.INVALID_ARGUMENT, file + ": unreadable (" + e.getMessage() + ")");
        }
    }

    /** Every endpoint, by name. */
    public static List<Endpoint> all(Path repo) {
        List<Endpoint> all = new ArrayList<>();
        if (!Files.isDirectory(root(repo))) {
            return all;
        }
        try (Stream<Path> dirs = Files.list(root(repo))) {
            for (Path dir : dirs.sorted().toList()) {
                if (Files.exists(dir.resolve(FILE))) {
                    all.add(load(repo, dir.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "listing " + root(repo) + ": " + e.getMessage());
        }
        return all;
    }

    public void save(Path repo) {
        Path dir = dir(repo, name);
        try {
            Files.createDirectories(dir);
            DurableFiles.writeAtomically(dir.resolve(FILE), JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "writing " + dir.resolve(FILE) + ": " + e.getMessage());
        }
    }

    /** The compute_ctl process of this endpoint. */
    public LocalProcess process(Path repo) {
        return new LocalProcess("compute_ctl", dir(repo, name));
    }

    /** How its last compute_ctl ended ({@code Suspended}, {@code Terminated}, {@code Failed}), if it wrote it. */
    public String lastEnding(Path repo) {
        try {
            return JSON.readTree(Files.readString(dir(repo, name).resolve("compute.state")))
                    .path("status")
                    .asString("");
        } catch (IOException | JacksonException e) {
            return "";
        }
    }
}
