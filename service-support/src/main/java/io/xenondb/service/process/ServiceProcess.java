package io.xenondb.service.process;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Xenon service (WAL node, storage node, broker, ...) as a JVM process of its own, started from a main class
 * with a class path, its output appended to a log file (never read through a pipe, which would block the child
 * once full). Stopped only by its own handle: {@link #stop} is SIGTERM (graceful), {@link #kill} is kill -9.
 */
public final class ServiceProcess implements AutoCloseable {
    /** Small heaps and a quick JIT: services in tests and on laptops start fast and share 2 cores. */
    public static final List<String> DEFAULT_JVM_OPTIONS =
            List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED");

    private final String name;
    private final List<String> command;
    private final Path log;
    private Process process;

    private ServiceProcess(String name, List<String> command, Path log) {
        this.name = name;
        this.command = command;
        this.log = log;
    }

    /**
     * A process running {@code mainClass} with {@code args} on {@code classPath} (this JVM's own by default), with
     * this JVM's java binary; not started yet.
     */
    public static ServiceProcess java(String name, String classPath, String mainClass, List<String> args, Path log) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(DEFAULT_JVM_OPTIONS);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        return new ServiceProcess(name, List.copyOf(command), log);
    }

    /** The same with this JVM's class path. */
    public static ServiceProcess java(String name, String mainClass, List<String> args, Path log) {
        return java(name, System.getProperty("java.class.path"), mainClass, args, log);
    }

    /** Starts the process (again, if it was stopped); output goes to the end of the log file. */
    public synchronized ServiceProcess start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            return this;
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "starting " + name + " failed: " + e, e);
        }
    }

    /** Waits until the process accepts TCP connections on {@code host:port}; fails early if it exits. */
    public ServiceProcess awaitPort(String host, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                throw new XenonException(
                        ErrorCode.UNAVAILABLE,
                        name + " exited with code " + process.exitValue() + " before serving on " + host + ":" + port
                                + "; its log ends with:\n" + logTail(20));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 200);
                return this;
            } catch (IOException e) {
                sleep(Duration.ofMillis(100));
            }
        }
        throw new XenonException(
                ErrorCode.UNAVAILABLE,
                name + " did not serve on " + host + ":" + port + " within " + timeout + "; its log ends with:\n"
                        + logTail(20));
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** SIGTERM, then waits up to {@code grace}; kill -9 if it is still running then. */
    public synchronized void stop(Duration grace) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /** kill -9, and waits until the process is gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@code lines} lines of the log. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log " + log + " unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
