package io.xenondb.pgruntime;

import io.xenondb.pgruntime.internal.Commands;
import io.xenondb.pgruntime.internal.ConfigFile;
import io.xenondb.pgruntime.internal.DataDirectory;
import io.xenondb.pgruntime.internal.FileAccess;
import io.xenondb.pgruntime.internal.LivePostmasters;
import io.xenondb.pgruntime.internal.OsUser;
import io.xenondb.pgruntime.internal.PostgresUser;
import io.xenondb.pgruntime.internal.PostmasterPidFile;
import io.xenondb.pgruntime.internal.PostmasterProcess;
import io.xenondb.pgruntime.internal.Signals;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One PostgreSQL data directory and the postmaster serving it. The postmaster runs as a child process of this
 * JVM (not daemonized), as the unprivileged OS user when the JVM is root, with its output appended to
 * {@link #logFile()}, a file next to the data directory ({@code <dataDir>.log}). A cluster started by another
 * process is recognized through {@code postmaster.pid} and can be stopped too. Thread-safe: start, stop and
 * configuration changes are serialized; status queries never wait for them.
 *
 * <p>When the JVM is root the data directory is handed to the OS user, and the data directory's parent gets
 * o+x if that user could not otherwise enter it (the caller chose that directory for the cluster); any other
 * ancestor that blocks the user is reported, not changed.
 */
public final class PostgresCluster implements AutoCloseable {
    /** The superuser {@link #open(PostgresBinaries, Path)} assumes: {@link InitdbOptions#defaults()}'s. */
    public static final String DEFAULT_SUPERUSER = "postgres";

    private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration CLOSE_FAST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_IMMEDIATE_TIMEOUT = Duration.ofSeconds(10);

    private final PostgresBinaries binaries;
    private final Path dataDir;
    private final String superuser;
    private final Optional<OsUser> osUser;
    private final Path logFile;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Process postmaster; // the postmaster this object started, until it is seen to exit
    private volatile int port; // 0 until started here or found running

    private PostgresCluster(PostgresBinaries binaries, Path dataDir, String superuser, Optional<OsUser> osUser) {
        this.binaries = binaries;
        this.dataDir = dataDir;
        this.superuser = superuser;
        this.osUser = osUser;
        this.logFile = DataDirectory.logFile(dataDir);
    }

    /**
     * Creates a new cluster in {@code dataDir} (created if missing; it must be empty otherwise), with
     * {@code trust} authentication. initdb runs with fsync, so the new cluster survives an OS crash.
     */
    public static PostgresCluster initdb(PostgresBinaries bins, Path dataDir, InitdbOptions opts) {
        if (opts == null) {
            throw new PostgresRuntimeException("initdb options: null (expected: e.g. InitdbOptions.defaults())");
        }
        Path dir = normalized(bins, dataDir);
        boolean created = DataDirectory.createEmpty(dir);
        PostgresCluster cluster = new PostgresCluster(bins, dir, opts.superuser(), PostgresUser.get());
        try {
            DataDirectory.prepare(dir, cluster.osUser, false);
            cluster.runInitdb(opts);
        } catch (RuntimeException e) {
            if (created) {
                FileAccess.deleteRecursively(dir); // leave no half-made cluster where the caller had nothing
            }
            throw e;
        }
        return cluster;
    }

    /** An existing data directory (made by initdb or a basebackup) whose superuser is {@code postgres}. */
    public static PostgresCluster open(PostgresBinaries bins, Path dataDir) {
        return open(bins, dataDir, DEFAULT_SUPERUSER);
    }

    /** An existing data directory whose bootstrap superuser is {@code superuser}; it may be running already. */
    public static PostgresCluster open(PostgresBinaries bins, Path dataDir, String superuser) {
        String role = InitdbOptions.defaults().withSuperuser(superuser).superuser();
        Path dir = normalized(bins, dataDir);
        DataDirectory.requireExisting(dir, bins.majorVersion(), bins.toString());
        PostgresCluster cluster = new PostgresCluster(bins, dir, role, PostgresUser.get());
        Optional<PostmasterPidFile> running = cluster.livePidFile();
        // A running server already owns its directory; re-owning it could break a server run by someone else.
        if (running.isEmpty()) {
            DataDirectory.prepare(dir, cluster.osUser, true);
        } else {
            cluster.port = running.get().port();
        }
        return cluster;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The bootstrap superuser, who can connect over TCP from 127.0.0.1 without a password. */
    public String superuser() {
        return superuser;
    }

    /** Where initdb's and the server's output is appended: {@code <dataDir>.log}. */
    public Path logFile() {
        return logFile;
    }

    /**
     * Sets configuration parameters in the runtime's own {@code xenon.conf}, which {@code postgresql.conf}
     * includes last; the latest value per name wins and a null value removes the name. Values are written as
     * quoted strings, so any text is safe. Takes effect at the next start (or {@link #reload()} for reloadable
     * settings). {@code port}, {@code listen_addresses}, {@code unix_socket_directories} and the logging
     * destination are set by {@link #start} on the command line and win over this file.
     */
    public void writeConfig(Map<String, String> settings) {
        if (settings == null) {
            throw new PostgresRuntimeException("settings: null (expected: a map of setting names to values)");
        }
        lock.lock();
        try {
            Path[] written = ConfigFile.write(dataDir, settings);
            if (osUser.isPresent()) {
                for (Path file : written) {
                    FileAccess.chown(file, osUser.get());
                }
            }
        } catch (IOException e) {
            throw new PostgresRuntimeException(
                    "cannot hand the configuration of " + dataDir + " to the OS user: " + e, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts the postmaster on {@code port} at 127.0.0.1 and returns once it accepts connections (a standby with
     * {@code hot_standby = off}, which never does before promotion, once its recovery has begun). The unix socket
     * goes into the data directory when that path fits the socket path limit, else unix sockets are off. On exit
     * or timeout during startup, whatever was started is stopped and the exception carries the log tail. As root,
     * everything in the data directory is first handed to the OS user (files the JVM added since initdb or open).
     */
    public void start(int port, Duration timeout) {
        if (port < 1 || port > 65535) {
            throw new PostgresRuntimeException("port: " + port + " (expected: 1-65535)");
        }
        requirePositive(timeout);
        lock.lock();
        try {
            OptionalLong running = pid();
            if (running.isPresent()) {
                throw new PostgresRuntimeException("start: cluster " + dataDir + " is already running (pid "
                        + running.getAsLong() + ", port " + port() + ")");
            }
            // Files the JVM put into the directory since (as root: WAL segments, signal files) must belong to
            // the server, which writes to some of them; already-owned entries cost one stat each.
            DataDirectory.prepare(dataDir, osUser, true);
            List<String> args = new ArrayList<>(List.of(
                    "-D",
                    dataDir.toString(),
                    "-p",
                    Integer.toString(port),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "unix_socket_directories=" + DataDirectory.socketDirectory(dataDir, port),
                    "-c",
                    "logging_collector=off",
                    "-c",
                    "log_destination=stderr"));
            ProcessBuilder builder = binaries.processBuilder(osUser, "postgres", args);
            long logOffset = logSize();
            builder.redirectErrorStream(true);
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.redirectInput(
                    ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new PostgresRuntimeException(
                        "start: cannot run " + String.join(" ", builder.command()) + ": " + e.getMessage(), e);
            }
            LivePostmasters.register(process.toHandle());
            this.postmaster = process;
            this.port = port;
            awaitReady(process, builder.command(), timeout, logOffset);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the postmaster (ours or one found through {@code postmaster.pid}) with {@code mode}'s signal and
     * waits until it has exited. Does nothing if it is not running; throws if it is still running after
     * {@code timeout}.
     */
    public void stop(StopMode mode, Duration timeout) {
        if (mode == null) {
            throw new PostgresRuntimeException("stop mode: null (expected: SMART, FAST or IMMEDIATE)");
        }
        requirePositive(timeout);
        lock.lock();
        try {
            OptionalLong pid = pid();
            if (pid.isEmpty()) {
                forgetPostmaster();
                return;
            }
            ProcessHandle handle = ProcessHandle.of(pid.getAsLong()).orElse(null);
            if (handle == null) {
                forgetPostmaster();
                return;
            }
            if (!Signals.send(pid.getAsLong(), mode.signal()) && handle.isAlive()) {
                throw new PostgresRuntimeException("stop " + mode + ": cannot send SIG" + mode.signal()
                        + " to postmaster pid " + pid.getAsLong() + " of " + dataDir);
            }
            if (!PostmasterProcess.awaitExit(handle, timeout)) {
                throw new PostgresRuntimeException("stop " + mode + ": postmaster pid " + pid.getAsLong() + " of "
                        + dataDir + " still running after " + timeout.toMillis() + " ms"
                        + Commands.tailSection("log " + logFile, Commands.tail(logFile, 0)));
            }
            forgetPostmaster();
        } finally {
            lock.unlock();
        }
    }

    /** Re-reads the configuration files (SIGHUP); throws if the cluster is not running. */
    public void reload() {
        long pid =
                pid().orElseThrow(() -> new PostgresRuntimeException("reload: cluster " + dataDir + " is not running"));
        if (!Signals.send(pid, "HUP")) {
            throw new PostgresRuntimeException("reload: cannot send SIGHUP to postmaster pid " + pid);
        }
    }

    /** What the postmaster process and {@code postmaster.pid} say now. */
    public PostgresStatus status() {
        Process process = postmaster;
        if (process != null && process.isAlive()) {
            return PostmasterPidFile.read(dataDir)
                    .filter(file -> file.pid() == process.pid())
                    .map(PostmasterPidFile::toStatus)
                    .orElse(PostgresStatus.STARTING);
        }
        return livePidFile().map(PostmasterPidFile::toStatus).orElse(PostgresStatus.STOPPED);
    }

    /** The postmaster's pid while one runs for this data directory. */
    public OptionalLong pid() {
        Process process = postmaster;
        if (process != null && process.isAlive()) {
            return OptionalLong.of(process.pid());
        }
        return livePidFile().map(file -> OptionalLong.of(file.pid())).orElse(OptionalLong.empty());
    }

    /** The port the server listens on (or last listened on, when started here); throws if never known. */
    public int port() {
        int known = port;
        if (known == 0) {
            known = livePidFile().map(PostmasterPidFile::port).orElse(0);
        }
        if (known == 0) {
            throw new PostgresRuntimeException("cluster " + dataDir + " has no port: it was not started");
        }
        return known;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. */
    public String jdbcUrl(String database) {
        if (database == null || database.isBlank()) {
            throw new PostgresRuntimeException(
                    "database: " + (database == null ? "null" : "'" + database + "'") + " (expected: a database name)");
        }
        String encoded = URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + encoded;
    }

    /** Stops the server if it runs: fast, then immediate if that times out, then SIGKILL. */
    @Override
    public void close() {
        if (pid().isEmpty()) {
            forgetPostmaster();
            return;
        }
        try {
            stop(StopMode.FAST, CLOSE_FAST_TIMEOUT);
        } catch (PostgresRuntimeException fast) {
            try {
                stop(StopMode.IMMEDIATE, CLOSE_IMMEDIATE_TIMEOUT);
            } catch (PostgresRuntimeException immediate) {
                pid().ifPresent(pid -> ProcessHandle.of(pid).ifPresent(PostmasterProcess::kill));
                forgetPostmaster();
            }
        }
    }

    @Override
    public String toString() {
        return "PostgresCluster[" + dataDir + ", " + status() + "]";
    }

    private void runInitdb(InitdbOptions opts) {
        List<String> args = new ArrayList<>(List.of(
                "-D",
                dataDir.toString(),
                "-U",
                opts.superuser(),
                "-E",
                opts.encoding(),
                "--locale=" + opts.locale(),
                "-A",
                "trust"));
        if (opts.dataChecksums()) {
            args.add("--data-checksums");
        }
        ProcessBuilder builder = binaries.processBuilder(osUser, "initdb", args);
        Commands.Result result = Commands.run(builder, INITDB_TIMEOUT);
        appendToLog(result.output());
        if (!result.succeeded()) {
            throw new PostgresRuntimeException("initdb of " + dataDir + " failed: "
                    + String.join(" ", builder.command()) + " exited with code " + result.exitCode()
                    + Commands.tailSection("log " + logFile, result.output()));
        }
    }

    private void awaitReady(Process process, List<String> command, Duration timeout, long logOffset) {
        PostmasterProcess.Startup startup;
        try {
            startup = PostmasterProcess.awaitStartup(process, dataDir, timeout);
        } catch (InterruptedException e) {
            PostmasterProcess.kill(process.toHandle());
            forgetPostmaster();
            Thread.currentThread().interrupt();
            throw new PostgresRuntimeException("start of " + dataDir + " interrupted; the postmaster was stopped", e);
        }
        switch (startup) {
            case PostmasterProcess.Startup.Ready ready -> {}
            case PostmasterProcess.Startup.Exited exited -> {
                forgetPostmaster();
                throw startFailure("exited with code " + exited.exitCode(), command, logOffset);
            }
            case PostmasterProcess.Startup.TimedOut timedOut -> {
                PostmasterProcess.kill(process.toHandle());
                forgetPostmaster();
                throw startFailure(
                        "did not accept connections within " + timeout.toMillis() + " ms (" + timedOut.lastStatus()
                                + ") and was stopped",
                        command,
                        logOffset);
            }
        }
    }

    private PostgresRuntimeException startFailure(String what, List<String> command, long logOffset) {
        return new PostgresRuntimeException("start of " + dataDir + " failed: postmaster " + what + " (command: "
                + String.join(" ", command) + ")"
                + Commands.tailSection("log " + logFile, Commands.tail(logFile, logOffset)));
    }

    private void forgetPostmaster() {
        Process process = postmaster;
        if (process != null && !process.isAlive()) {
            LivePostmasters.unregister(process.toHandle());
            postmaster = null;
        }
    }

    private Optional<PostmasterPidFile> livePidFile() {
        return PostmasterPidFile.read(dataDir).filter(file -> !file.singleUser() && file.processAlive());
    }

    private long logSize() {
        try {
            return Files.exists(logFile) ? Files.size(logFile) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private void appendToLog(String text) {
        try {
            Files.writeString(
                    logFile, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // The log is for people; failing to write it must not fail the operation it describes.
        }
    }

    private static Path normalized(PostgresBinaries bins, Path dataDir) {
        if (bins == null) {
            throw new PostgresRuntimeException("binaries: null (expected: e.g. PostgresBinaries.bundled())");
        }
        return DataDirectory.normalize(dataDir);
    }

    private static void requirePositive(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new PostgresRuntimeException("timeout: " + timeout + " (expected: a positive duration)");
        }
    }
}
