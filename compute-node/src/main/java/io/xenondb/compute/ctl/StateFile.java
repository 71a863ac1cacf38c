package io.xenondb.compute.ctl;

import io.xenondb.shared.io.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * How compute_ctl ended, for whoever started it (the CLI) to read after the process is gone:
 * {@code <pgdata>/../compute.state}, JSON {@code {"status": "Suspended"|"Terminated"|"Failed", "at": RFC 3339,
 * "error"?: text}}. compute_ctl removes it when it starts, so a file present while no compute_ctl runs is the
 * last one's ending.
 */
public final class StateFile {
    public static final String FILE_NAME = "compute.state";

    /** The endings compute_ctl records. */
    public enum Ending {
        /** Stopped itself after its suspend timeout without clients; the next start brings all data back. */
        Suspended,
        /** Stopped on {@code /terminate} or SIGTERM. */
        Terminated,
        /** Could not start, or broke while running. */
        Failed
    }

    /** What the file says. */
    public record Content(Ending status, Instant at, String error) {}

    private final Path file;

    public StateFile(Path pgdata) {
        Path absolute = pgdata.toAbsolutePath().normalize();
        Path parent = absolute.getParent() == null ? absolute : absolute.getParent();
        this.file = parent.resolve(FILE_NAME);
    }

    public Path path() {
        return file;
    }

    /** Forgets the previous compute's ending. */
    public void clear() throws IOException {
        Files.deleteIfExists(file);
    }

    /** Records an ending; the file is replaced atomically, so a reader sees the old or the new one whole. */
    public void write(Ending status, Instant at, String error) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", status.name());
        json.put("at", at.toString());
        if (error != null) {
            json.put("error", error);
        }
        Files.createDirectories(file.getParent());
        DurableFiles.writeAtomically(file, SpecReader.JSON.writeValueAsBytes(json));
    }

    /** What the file says; empty when there is none or it is unreadable. */
    public Optional<Content> read() {
        try {
            JsonNode json = SpecReader.JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            JsonNode error = json.get("error");
            return Optional.of(new Content(
                    Ending.valueOf(json.get("status").asString()),
                    Instant.parse(json.get("at").asString()),
                    error == null || error.isNull() ? null : error.asString()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
