package io.xenondb.pgruntime.internal;

import io.xenondb.pgruntime.PostgresStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for a postmaster to come up or go away, and making it go away when asked nicely did not work. */
public final class PostmasterProcess {
    private static final long POLL_MILLIS = 20;
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(5);

    private PostmasterProcess() {}

    /** How a wait for startup ended. */
    public sealed interface Startup {
        /** Accepting connections (or a standby without hot_standby, which never will before promotion). */
        record Ready() implements Startup {}

        /** The process ended during startup. */
        record Exited(int exitCode) implements Startup {}

        /** Still starting at the deadline; {@code lastStatus} says how far it got. */
        record TimedOut(String lastStatus) implements Startup {}
    }

    /**
     * Polls {@code dataDir/postmaster.pid} until the postmaster {@code process} reports it is ready, exits, or
     * {@code timeout} passes. Like pg_ctl, a standby with {@code hot_standby = off} counts as started: it never
     * accepts connections before promotion, and waiting longer would only end in killing a healthy server.
     */
    public static Startup awaitStartup(Process process, Path dataDir, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastStatus = "no postmaster.pid yet";
        while (true) {
            if (!process.isAlive()) {
                return new Startup.Exited(process.exitValue());
            }
            Optional<PostmasterPidFile> file = PostmasterPidFile.read(dataDir).filter(f -> f.pid() == process.pid());
            if (file.isPresent()) {
                PostgresStatus status = file.get().toStatus();
                if (status == PostgresStatus.RUNNING || status == PostgresStatus.STANDBY) {
                    return new Startup.Ready();
                }
                lastStatus = "status '" + file.get().status() + "'";
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new Startup.TimedOut(lastStatus);
            }
            process.waitFor(Math.min(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS), left), TimeUnit.NANOSECONDS);
        }
    }

    /** Waits until {@code handle} has exited; false if it is still alive after {@code timeout}. */
    public static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (handle.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                handle.onExit().get(Math.min(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS), left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // poll again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !handle.isAlive();
            }
        }
        return true;
    }

    /** Immediate shutdown (SIGQUIT), then SIGKILL: for a server that must go when a clean stop is not an option. */
    public static void kill(ProcessHandle handle) {
        Signals.send(handle.pid(), "QUIT");
        if (!awaitExit(handle, KILL_TIMEOUT)) {
            handle.destroyForcibly();
            awaitExit(handle, KILL_TIMEOUT);
        }
    }
}
