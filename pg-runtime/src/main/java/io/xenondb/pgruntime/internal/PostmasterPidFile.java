package io.xenondb.pgruntime.internal;

import io.xenondb.pgruntime.PostgresRuntimeException;
import io.xenondb.pgruntime.PostgresStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The lock file {@code postmaster.pid} that a running server keeps in its data directory. Lines (PostgreSQL
 * 10+): 1 pid (negative for a single-user backend), 2 data directory, 3 start time (epoch seconds), 4 port,
 * 5 first unix socket directory, 6 first listen address, 7 shared memory key and id, 8 postmaster status. The
 * server writes lines 1-5 first and adds the rest as it starts, so a young file may be shorter.
 *
 * @param pid the process id, always positive
 * @param singleUser whether a single-user backend (not a postmaster) holds the lock
 * @param port the TCP port, 0 if not written yet
 * @param status the status word of line 8 ({@code starting}, {@code ready}, {@code stopping}, {@code standby}),
 *     "" if not written yet
 */
public record PostmasterPidFile(
        long pid,
        boolean singleUser,
        String dataDir,
        long startTime,
        int port,
        String socketDir,
        String listenAddress,
        String status) {
    public static final String FILE_NAME = "postmaster.pid";

    /** Parses the file's content; throws naming the bad line when it is not a lock file. */
    public static PostmasterPidFile parse(String content) {
        List<String> lines = content.lines().toList();
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new PostgresRuntimeException(FILE_NAME + ": empty (expected: a pid on line 1)");
        }
        long rawPid = number(lines, 0, "pid");
        if (rawPid == 0) {
            throw new PostgresRuntimeException(FILE_NAME + " line 1: '0' (expected: a non-zero pid)");
        }
        long port = lines.size() > 3 && !lines.get(3).isBlank() ? number(lines, 3, "port") : 0;
        if (port < 0 || port > 65535) {
            throw new PostgresRuntimeException(FILE_NAME + " line 4: '" + port + "' (expected: a port 0-65535)");
        }
        return new PostmasterPidFile(
                Math.abs(rawPid),
                rawPid < 0,
                line(lines, 1),
                lines.size() > 2 && !lines.get(2).isBlank() ? number(lines, 2, "start time") : 0,
                (int) port,
                line(lines, 4),
                line(lines, 5),
                line(lines, 7));
    }

    /**
     * Reads {@code dataDir/postmaster.pid}: empty when there is none, and also when it cannot be parsed yet
     * (a server creating or rewriting it at this moment; callers poll).
     */
    public static Optional<PostmasterPidFile> read(Path dataDir) {
        try {
            return Optional.of(parse(Files.readString(dataDir.resolve(FILE_NAME), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | PostgresRuntimeException e) {
            return Optional.empty(); // mid-write or unreadable: callers poll, or treat it as no live server
        }
    }

    /** The status as the API reports it, for a postmaster known to be alive. */
    public PostgresStatus toStatus() {
        if (singleUser) {
            return PostgresStatus.STARTING;
        }
        return switch (status) {
            case "ready" -> PostgresStatus.RUNNING;
            case "stopping" -> PostgresStatus.STOPPING;
            case "standby" -> PostgresStatus.STANDBY;
            default -> PostgresStatus.STARTING; // "starting", or not written yet
        };
    }

    /** Whether the process named by this file is alive (it may be a stale file left by a killed server). */
    public boolean processAlive() {
        // A pid can be reused after a crash; when the executable is visible it must be a postgres binary.
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .map(handle -> handle.info()
                        .command()
                        .map(command ->
                                Path.of(command).getFileName().toString().startsWith("postgres"))
                        .orElse(true))
                .orElse(false);
    }

    private static String line(List<String> lines, int index) {
        return lines.size() > index ? lines.get(index).strip() : "";
    }

    private static long number(List<String> lines, int index, String what) {
        String text = lines.get(index).strip();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new PostgresRuntimeException(
                    FILE_NAME + " line " + (index + 1) + ": '" + text + "' (expected: the " + what + " as a number)");
        }
    }
}
