package io.xenondb.compute.ctl;

import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * compute_ctl, the process that runs one compute (Neon's {@code compute_ctl}): {@code compute_ctl --pgdata <dir>
 * [--config <spec.json>] [--http-port 3080] [--listen 127.0.0.1] [--pgbin <dir>]}. It serves its HTTP API at once,
 * starts the compute of the spec (or waits for {@code POST /configure}), and exits 0 once the compute has ended:
 * after {@code POST /terminate}, SIGTERM/SIGINT, or a suspend. Exit 2: bad flags or spec; 1: the HTTP port cannot be
 * bound. docs/compute-node.md describes it all.
 */
public final class ComputeCtl {
    /** Exit status for a bad command line or spec. */
    public static final int EXIT_USAGE = 2;
    /** Exit status when compute_ctl cannot serve at all (e.g. its HTTP port is taken). */
    public static final int EXIT_UNAVAILABLE = 1;

    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SIGNAL_STOP_TIMEOUT = Duration.ofSeconds(90);

    private ComputeCtl() {}

    public static void main(String[] args) {
        // Before the first logger exists: compute_ctl's own logging file, a name no other program on the class
        // path picks up (a plain logback.xml would configure every service started from the same class path).
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "compute-ctl-logback.xml");
        }
        System.exit(run(args));
    }

    /** Runs compute_ctl until its compute has ended; returns the exit status. */
    static int run(String... args) {
        if (ComputeCtlOptions.FLAGS.wantsHelp(args)) {
            System.out.print(ComputeCtlOptions.FLAGS.usage());
            return 0;
        }
        ComputeCtlOptions options;
        Optional<ComputeSpec> spec;
        try {
            options = ComputeCtlOptions.parse(args);
            spec = options.config().map(ComputeCtl::readSpec);
        } catch (XenonException e) {
            System.err.println("compute_ctl: " + e.getMessage());
            return EXIT_USAGE;
        }
        Logger log = LoggerFactory.getLogger(ComputeCtl.class);
        AtomicReference<ComputeCtlMetrics> metrics = new AtomicReference<>();
        ComputeNode node = new ComputeNode(
                options.pgdata(),
                () -> options.pgbin().map(PostgresBinaries::fromBinDir).orElseGet(PostgresBinaries::bundled),
                Clock.systemUTC(),
                START_TIMEOUT,
                timeline -> metrics.get().proposerMetrics(timeline));
        metrics.set(new ComputeCtlMetrics(node::state, node::lastActive));
        try {
            node.stateFile().clear();
        } catch (IOException e) {
            System.err.println("compute_ctl: cannot remove " + node.stateFile().path() + ": " + e);
            return EXIT_UNAVAILABLE;
        }
        ComputeHttpServer http;
        try {
            http = ComputeHttpServer.start(options.http(), node, metrics.get());
        } catch (XenonException e) {
            System.err.println("compute_ctl: " + e.getMessage());
            return EXIT_UNAVAILABLE;
        }
        log.info("compute_ctl serving HTTP on {}:{} for {}", options.http().host(), http.port(), options.pgdata());
        StopSignals.install(() -> node.terminate(StateFile.Ending.Terminated, SIGNAL_STOP_TIMEOUT));
        spec.ifPresent(node::configure);
        StateFile.Ending how = node.ended().join();
        http.close();
        log.info("compute_ctl exits: {}", how);
        return 0;
    }

    private static ComputeSpec readSpec(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "--config: cannot read " + file + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                            + ")");
        }
        try {
            return SpecReader.parse(text);
        } catch (XenonException e) {
            throw new XenonException(e.code(), file.getFileName() + ": " + e.getMessage(), e);
        }
    }
}
