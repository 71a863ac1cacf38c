package io.xenondb.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * PostgreSQL servers a service started (the controller's embedded database, an endpoint's compute) that outlive
 * it when it is killed with kill -9: found by the {@code postmaster.pid} of their data directory, and only if that
 * process still runs on that directory.
 */
public final class Postmasters {
    private Postmasters() {}

    /** Every data directory under {@code root} with a {@code postmaster.pid}. */
    public static List<Path> dataDirs(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.getFileName().toString().equals("postmaster.pid"))
                    .map(Path::getParent)
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of(); // a directory vanished while walking: nothing to stop there
        }
    }

    /** The running postmaster of {@code dataDir}, if any. */
    public static Optional<ProcessHandle> running(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.US_ASCII);
            long pid = Long.parseLong(lines.get(0).strip());
            String dir = dataDir.toAbsolutePath().normalize().toString();
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(p ->
                            p.info().commandLine().map(c -> c.contains(dir)).orElse(false));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // no file, or not a postmaster.pid: nothing runs there
        }
    }

    /** Stops an orphaned postmaster of {@code dataDir}: SIGTERM, then kill -9 after {@code grace}. */
    public static boolean stop(Path dataDir, Duration grace) {
        Optional<ProcessHandle> postmaster = running(dataDir);
        if (postmaster.isEmpty()) {
            return false;
        }
        ProcessHandle p = postmaster.get();
        p.destroy();
        long deadline = System.nanoTime() + grace.toNanos();
        while (p.isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (p.isAlive()) {
            p.destroyForcibly();
        }
        return true;
    }
}
