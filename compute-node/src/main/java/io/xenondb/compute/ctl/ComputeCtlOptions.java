package io.xenondb.compute.ctl;

import io.xenondb.shared.cli.CommandLineFlags;
import io.xenondb.shared.cli.Flag;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * compute_ctl's command line: {@code --pgdata <dir>} (required), {@code --config <spec.json>} (without it the
 * compute waits for {@code POST /configure}), {@code --http-port} (3080), {@code --listen} (127.0.0.1) and
 * {@code --pgbin} (a PostgreSQL 17 bin directory; default: the bundled binaries).
 */
public record ComputeCtlOptions(Path pgdata, Optional<Path> config, ListenAddress http, Optional<Path> pgbin) {
    public static final int DEFAULT_HTTP_PORT = 3080;
    public static final String DEFAULT_LISTEN = "127.0.0.1";

    static final CommandLineFlags FLAGS = new CommandLineFlags(
            "compute_ctl",
            List.of(
                    new Flag("pgdata", 'D', "dir", null, "PostgreSQL data directory (wiped at every start)"),
                    new Flag("config", 'c', "spec.json", null, "Compute spec; without it wait for POST /configure"),
                    new Flag("http-port", null, "port", Integer.toString(DEFAULT_HTTP_PORT), "HTTP API port"),
                    new Flag("listen", null, "host", DEFAULT_LISTEN, "Address the HTTP API listens on"),
                    new Flag("pgbin", null, "dir", null, "PostgreSQL 17 bin directory (default: bundled)")));

    /**
     * Parses a command line.
     *
     * @throws XenonException INVALID_ARGUMENT naming the flag and what it expects
     */
    public static ComputeCtlOptions parse(String... args) {
        Map<String, String> given = new HashMap<>();
        for (String flag : FLAGS.normalize(args)) {
            int eq = flag.indexOf('=');
            given.put(flag.substring(2, eq), flag.substring(eq + 1));
        }
        String pgdata = given.get("pgdata");
        if (pgdata == null || pgdata.isBlank()) {
            throw invalid(
                    "--pgdata: missing (expected: the data directory, e.g. --pgdata .xenon/endpoints/main/pgdata)");
        }
        int port = port(given.getOrDefault("http-port", Integer.toString(DEFAULT_HTTP_PORT)));
        return new ComputeCtlOptions(
                path("--pgdata", pgdata),
                Optional.ofNullable(given.get("config")).map(text -> path("--config", text)),
                listen(given.getOrDefault("listen", DEFAULT_LISTEN), port),
                Optional.ofNullable(given.get("pgbin")).map(text -> path("--pgbin", text)));
    }

    private static ListenAddress listen(String text, int port) {
        String host = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        try {
            return new ListenAddress(host, port);
        } catch (XenonException e) {
            throw invalid("--listen: '" + text + "' (expected: a host name or IP address, e.g. 127.0.0.1)");
        }
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text.strip());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw invalid("--http-port: '" + text + "' (expected: 0-65535; 0 picks a free port)");
    }

    private static Path path(String flag, String text) {
        try {
            if (text.isBlank()) {
                throw invalid(flag + ": blank (expected: a path)");
            }
            return Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw invalid(flag + ": '" + text + "' (expected: a path)");
        }
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
