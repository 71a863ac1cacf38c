package io.xenondb.cli.command;

import io.xenondb.cli.local.Endpoint;
import io.xenondb.cli.local.LocalConfig;
import io.xenondb.cli.local.Ports;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.io.FileTrees;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.text.HumanDuration;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xenon endpoint create|start|stop|list}: named computes, each run by a compute_ctl process. */
@Command(
        name = "endpoint",
        description = "Create, start, stop and list endpoints (computes).",
        mixinStandardHelpOptions = true,
        subcommands = {
            EndpointCommand.Create.class,
            EndpointCommand.Start.class,
            EndpointCommand.Stop.class,
            EndpointCommand.ListEndpoints.class
        })
final class EndpointCommand extends LocalCommand implements Runnable {
    static final int FIRST_PG_PORT = 55432;
    static final int FIRST_HTTP_PORT = 3080;

    @Override
    public void run() {
        spec.commandLine().usage(out());
    }

    @Command(name = "create", description = "Create an endpoint on a branch (read-only at --lsn).")
    static final class Create extends TimelineCommand.TenantScoped implements Callable<Integer> {
        @Parameters(paramLabel = "<name>", description = "the endpoint's name, e.g. main")
        String name;

        @Option(names = "--branch-name", paramLabel = "<name>", description = "default: main")
        String branch = TenantCommand.MAIN;

        @Option(names = "--lsn", converter = Converters.Lsns.class, paramLabel = "<lsn>", description = "read-only")
        Lsn lsn;

        @Option(names = "--pg-port", paramLabel = "<port>", description = "default: the first free from 55432")
        Integer pgPort;

        @Option(names = "--http-port", paramLabel = "<port>", description = "compute_ctl's; default: from 3080")
        Integer httpPort;

        @Option(
                names = "--suspend-timeout",
                paramLabel = "<duration>",
                description = "stop the compute after this long without a client connection, e.g. 5m (default: never)")
        String suspendTimeout;

        @Override
        public Integer call() {
            if (!name.matches("[A-Za-z0-9_.-]{1,63}")) {
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT,
                        "endpoint name: '" + name + "' (expected: 1-63 letters, digits, '_', '.', '-')");
            }
            Path repo = repo();
            LocalConfig config = config();
            TenantId t = tenant(config);
            TimelineId timeline = config.branch(t, branch)
                    .orElseThrow(() -> new XenonException(
                            ErrorCode.NOT_FOUND,
                            "branch '" + branch + "': no such branch in tenant " + t + " (see 'xenon timeline list')"));
            if (Endpoint.all(repo).stream().anyMatch(e -> e.name().equals(name))) {
                throw new XenonException(ErrorCode.CONFLICT, "endpoint " + name + " exists already");
            }
            long suspend = suspendTimeout == null ? -1 : seconds(suspendTimeout);
            Set<Integer> used = new HashSet<>();
            for (Endpoint other : Endpoint.all(repo)) {
                used.add(other.pgPort());
                used.add(other.httpPort());
            }
            Ports ports = new Ports();
            int pg = pgPort != null ? requireFree("--pg-port", pgPort, used) : free(ports, FIRST_PG_PORT, used);
            used.add(pg);
            int http =
                    httpPort != null ? requireFree("--http-port", httpPort, used) : free(ports, FIRST_HTTP_PORT, used);
            Endpoint endpoint = new Endpoint(
                    name,
                    t.toString(),
                    timeline.toString(),
                    branch,
                    lsn == null ? null : lsn.toString(),
                    pg,
                    http,
                    suspend);
            endpoint.save(repo);
            out().printf(
                            "Created endpoint %s on branch %s (timeline %s)%s, port %d%n",
                            name, branch, timeline, lsn == null ? "" : " at Lsn " + lsn + ", read-only", pg);
            return 0;
        }

        private static long seconds(String text) {
            Duration d;
            try {
                d = HumanDuration.parse(text);
            } catch (XenonException e) {
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT,
                        "--suspend-timeout: " + text + " (expected: a duration, e.g. 10s, 5m)");
            }
            if (d.toSeconds() < 1) {
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT, "--suspend-timeout: " + text + " (expected: 1s or more)");
            }
            return d.toSeconds();
        }

        private static int requireFree(String flag, int port, Set<Integer> used) {
            if (port < 1 || port > 65535) {
                throw new XenonException(ErrorCode.INVALID_ARGUMENT, flag + ": " + port + " (expected: 1-65535)");
            }
            if (used.contains(port)) {
                throw new XenonException(ErrorCode.CONFLICT, flag + ": port " + port + " belongs to another endpoint");
            }
            if (!Ports.isFree(port)) {
                throw new XenonException(ErrorCode.CONFLICT, flag + ": port " + port + " is in use");
            }
            return port;
        }

        private static int free(Ports ports, int from, Set<Integer> used) {
            int port = from;
            while (true) {
                port = ports.pick(port);
                if (!used.contains(port)) {
                    return port;
                }
                port++;
            }
        }
    }

    @Command(name = "start", description = "Start an endpoint's compute and wait until it serves.")
    static final class Start extends LocalCommand implements Callable<Integer> {
        @Parameters(paramLabel = "<name>")
        String name;

        @Override
        public Integer call() {
            new ComputeStarter(this).start(Endpoint.load(repo(), name));
            return 0;
        }
    }

    @Command(name = "stop", description = "Stop an endpoint's compute (its data stays on the storage).")
    static final class Stop extends LocalCommand implements Callable<Integer> {
        @Parameters(paramLabel = "<name>")
        String name;

        @Option(names = "--destroy", description = "also delete the endpoint")
        boolean destroy;

        @Option(names = "--mode", paramLabel = "<fast|immediate>", description = "default: fast")
        String mode = "fast";

        @Override
        public Integer call() throws IOException {
            boolean immediate = StopCommand.immediate(mode);
            Endpoint endpoint = Endpoint.load(repo(), name);
            boolean stopped;
            try (var task = progress().task("stopping endpoint " + name)) {
                stopped = endpoint.process(repo()).stop(immediate, ComputeStarter.STOP_GRACE);
            }
            if (!stopped && !destroy) {
                throw new XenonException(ErrorCode.CONFLICT, "endpoint " + name + " is not running");
            }
            if (stopped) {
                out().printf("Stopped endpoint %s%n", name);
            }
            if (destroy) {
                FileTrees.deleteRecursively(Endpoint.dir(repo(), name));
                out().printf("Destroyed endpoint %s%n", name);
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List the endpoints.")
    static final class ListEndpoints extends LocalCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            List<Endpoint> all = Endpoint.all(repo());
            int nameWidth = Math.max(
                    "ENDPOINT".length(),
                    all.stream().mapToInt(e -> e.name().length()).max().orElse(0));
            int branchWidth = Math.max(
                    "BRANCH NAME".length(),
                    all.stream().mapToInt(e -> e.branch().length()).max().orElse(0));
            String format = " %-" + nameWidth + "s  %-15s  %-32s  %-" + branchWidth + "s  %-10s  %s%n";
            out().printf(format, "ENDPOINT", "ADDRESS", "TIMELINE", "BRANCH NAME", "LSN", "STATUS");
            for (Endpoint e : all) {
                out().printf(
                                format,
                                e.name(),
                                "127.0.0.1:" + e.pgPort(),
                                e.timelineId(),
                                e.branch(),
                                e.isStatic() ? e.lsn() : lastRecordLsn(e),
                                status(e));
            }
            return 0;
        }

        private String status(Endpoint e) {
            if (e.process(repo()).running().isPresent()) {
                return "running";
            }
            return e.lastEnding(repo()).equals("Suspended") ? "suspended" : "stopped";
        }

        /** A primary's LSN: where its timeline's WAL ends on the storage node (as neon_local shows it). */
        private String lastRecordLsn(Endpoint e) {
            try {
                return controller()
                        .get("/v1/tenant/" + e.tenantId() + "/timeline/" + e.timelineId())
                        .path("last_record_lsn")
                        .asString("-");
            } catch (XenonException unavailable) {
                return "-";
            }
        }
    }
}
