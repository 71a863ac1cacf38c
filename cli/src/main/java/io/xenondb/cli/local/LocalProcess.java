package io.xenondb.cli.local;

import io.xenondb.service.process.ServiceCommand;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One service of the local system as a detached process (its own session, so it outlives the {@code xenon} command
 * and a Ctrl-C in its terminal), with its output in {@code <name>.log} and its pid in {@code <name>.pid}. It is
 * found again by that pid only if the process still carries this service's marker, so a recycled pid is never
 * signalled.
 */
public final class LocalProcess {
    private static final List<String> JVM_OPTIONS =
            List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED");

    private final String name;
    private final Path dir;

    /** The service {@code name} whose log and pid file live in {@code dir}. */
    public LocalProcess(String name, Path dir) {
        this.name = name;
        this.dir = dir;
    }

    public String name() {
        return name;
    }

    public Path log() {
        return dir.resolve(name + ".log");
    }

    private Path pidFile() {
        return dir.resolve(name + ".pid");
    }

    private String marker() {
        return "-Dxenon.service=" + dir.resolve(name);
    }

    /** Starts {@code command} on this JVM's class path; the pid. */
    public long start(ServiceCommand command) {
        return start(command.mainClass(), command.args());
    }

    /** Starts {@code mainClass} with {@code args} on this JVM's class path; the pid. */
    public long start(String mainClass, List<String> args) {
        if (running().isPresent()) {
            throw new XenonException(
                    ErrorCode.CONFLICT,
                    name + " is already running (pid " + running().get().pid() + "; stop it first)");
        }
        List<String> command = new ArrayList<>();
        command.add("setsid");
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(JVM_OPTIONS);
        command.add(marker());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.createDirectories(dir);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            Files.writeString(pidFile(), Long.toString(process.pid()), StandardCharsets.US_ASCII);
            return process.pid();
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "starting " + name + ": " + e.getMessage());
        }
    }

    /** The running process of this service, if there is one. */
    public Optional<ProcessHandle> running() {
        long pid;
        try {
            pid = Long.parseLong(
                    Files.readString(pidFile(), StandardCharsets.US_ASCII).strip());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p ->
                        p.info().commandLine().map(c -> c.contains(marker())).orElse(false));
    }

    /**
     * Waits until the process accepts connections on {@code port}, showing progress after a second; fails with the
     * log's tail if it exits first or the time runs out.
     */
    public void awaitPort(int port, Duration timeout, Progress progress) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Progress.Task task = progress.task("waiting for " + name + " on 127.0.0.1:" + port)) {
            while (!Ports.answers("127.0.0.1", port)) {
                if (running().isEmpty()) {
                    throw new XenonException(
                            ErrorCode.UNAVAILABLE,
                            name + " exited during its start (" + lastError() + "); see " + log());
                }
                if (System.nanoTime() > deadline) {
                    throw new XenonException(
                            ErrorCode.UNAVAILABLE,
                            name + " did not answer on port " + port + " within " + timeout.toSeconds() + " s; see "
                                    + log());
                }
                task.tick();
                sleep(100);
            }
        }
    }

    /**
     * Stops the process: {@code immediate} is kill -9, otherwise SIGTERM and up to {@code grace} for a clean exit
     * (then kill -9). False if it was not running.
     */
    public boolean stop(boolean immediate, Duration grace) {
        return signal(immediate)
                .map(p -> {
                    awaitExit(p, grace);
                    return true;
                })
                .orElse(false);
    }

    /** Sends the stop signal without waiting; the process if it was running. */
    public Optional<ProcessHandle> signal(boolean immediate) {
        Optional<ProcessHandle> process = running();
        if (process.isEmpty()) {
            deletePidFile();
            return Optional.empty();
        }
        if (immediate) {
            process.get().destroyForcibly();
        } else {
            process.get().destroy();
        }
        return process;
    }

    /** Waits up to {@code grace} for a signalled process to exit, then kills it. */
    public void awaitExit(ProcessHandle p, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (p.isAlive() && System.nanoTime() < deadline) {
            sleep(50);
        }
        if (p.isAlive()) {
            p.destroyForcibly();
            long hard = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (p.isAlive() && System.nanoTime() < hard) {
                sleep(50);
            }
        }
        deletePidFile();
    }

    private void deletePidFile() {
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            // a stale pid file is harmless: running() checks the marker
        }
    }

    /** The log's last line that reads like the reason of a failure, else its last line. */
    private String lastError() {
        try {
            List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8).stream()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("at ") && !l.startsWith("..."))
                    .toList();
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i);
                if (line.contains("failed") || line.contains("Exception") || line.contains("ERROR")) {
                    return line;
                }
            }
            return lines.isEmpty() ? "its log is empty" : lines.get(lines.size() - 1);
        } catch (IOException e) {
            return "no log";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenonException(ErrorCode.UNAVAILABLE, "interrupted");
        }
    }
}
