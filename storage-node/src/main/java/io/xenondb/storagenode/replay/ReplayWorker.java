package io.xenondb.storagenode.replay;

import io.xenondb.pgruntime.FreePorts;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.pgruntime.PostgresCluster;
import io.xenondb.pgruntime.PostgresRuntimeException;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.io.FileTrees;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.pg.PgControlFile;
import io.xenondb.storagenode.image.Image;
import io.xenondb.storagenode.image.ImageBuilder;
import io.xenondb.storagenode.image.ImagePaths;
import io.xenondb.storagenode.image.ImageStore;
import io.xenondb.storagenode.wal.PgWalSegments;
import io.xenondb.storagenode.wal.WalSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes images by replay: materialises a base (an image, or initdb's output) into a scratch directory, adds the
 * timeline's WAL from the base's redo point up to the target, starts it as a private hot standby (127.0.0.1 on a
 * free port, no WAL source but its {@code pg_wal}), waits until it has replayed exactly to the target, and
 * copies it inside a non-exclusive {@code pg_backup_start}/{@code pg_backup_stop}. The image's backup_label is
 * the one pg_backup_stop returns, so every image, the first included, starts with a redo point PostgreSQL chose.
 * The worker is always stopped and its directory deleted.
 */
public final class ReplayWorker {
    /** Files the worker replaces with its own; the image keeps the base's. */
    static final Set<String> CONFIG_FILES =
            Set.of("postgresql.conf", "postgresql.auto.conf", "xenon.conf", "pg_hba.conf", "pg_ident.conf");

    private static final Logger LOG = LoggerFactory.getLogger(ReplayWorker.class);
    private static final Pattern START_WAL = Pattern.compile("START WAL LOCATION: ([0-9A-Fa-f]+/[0-9A-Fa-f]+)");
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final PostgresBinaries binaries;
    private final ImageStore store;
    private final Path workDir;
    private final Duration timeout;
    private final String superuser;

    /**
     * @param workDir where scratch data directories go (PostgreSQL's OS user must be able to reach it)
     * @param timeout for the start of the worker and, separately, for its replay to reach the target
     */
    public ReplayWorker(PostgresBinaries binaries, ImageStore store, Path workDir, Duration timeout) {
        this(binaries, store, workDir, timeout, PostgresCluster.DEFAULT_SUPERUSER);
    }

    /** The same, connecting to the worker as {@code superuser} (the role initdb made for the timeline). */
    public ReplayWorker(PostgresBinaries binaries, ImageStore store, Path workDir, Duration timeout, String superuser) {
        this.superuser = superuser;
        this.binaries = binaries;
        this.store = store;
        this.workDir = workDir.toAbsolutePath().normalize();
        this.timeout = timeout;
    }

    /**
     * The tenant's first image: initdb's output, run as a standby on its own WAL and backed up at its end.
     * initdb's {@code pg_wal} is that WAL: computes starting from this image need it too.
     */
    public Image bootstrap(TimelineId timeline, Path initdbDir) {
        SegmentFileWalSource wal = SegmentFileWalSource.open(initdbDir.resolve("pg_wal"));
        return makeImage(timeline, initdbDir, wal, wal.end());
    }

    /** A new image of {@code timeline} at {@code target}: {@code base} replayed with {@code wal}. */
    public Image makeImage(TimelineId timeline, Image base, WalSource wal, Lsn target) {
        if (target.isBefore(base.lsn())) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "image target: " + target + " (expected: at or above the base image's lsn " + base.lsn() + ")");
        }
        return run(timeline, wal, target, base.redoLsn(), data -> store.materialise(base, data));
    }

    /** A new image at {@code target} from a plain data directory (shut down cleanly, e.g. by initdb). */
    public Image makeImage(TimelineId timeline, Path dataDir, WalSource wal, Lsn target) {
        PgControlFile control = readControl(dataDir);
        return run(timeline, wal, target, control.redo(), data -> copyTree(dataDir, data));
    }

    private interface BaseWriter {
        void write(Path data) throws IOException;
    }

    private Image run(TimelineId timeline, WalSource wal, Lsn target, Lsn baseRedo, BaseWriter base) {
        Lsn walFrom = Lsn.ofSegment(baseRedo.segmentNumber(), Lsn.WAL_SEGMENT_SIZE);
        if (walFrom.isBefore(wal.start()) || target.isAfter(wal.end()) || target.isBefore(baseRedo)) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "replay to " + target + " from redo point " + baseRedo + " needs WAL " + walFrom + " to " + target
                            + " (expected: inside the WAL held, " + wal.start() + " to " + wal.end() + ")");
        }
        Path scratch = workDir.resolve("replay-" + UUID.randomUUID());
        Path data = scratch.resolve("data");
        PostgresCluster cluster = null;
        try {
            Files.createDirectories(data);
            base.write(data);
            Map<String, byte[]> originals = new LinkedHashMap<>();
            for (String name : CONFIG_FILES) {
                Path file = data.resolve(name);
                if (Files.isRegularFile(file)) {
                    originals.put(name, Files.readAllBytes(file));
                }
            }
            PgControlFile control = readControl(data);
            PgWalSegments.write(wal, walFrom, target, data.resolve("pg_wal"));
            configure(data);
            cluster = PostgresCluster.open(binaries, data, superuser);
            cluster.writeConfig(WorkerSettings.of(control));
            cluster.start(FreePorts.allocate(), timeout);
            return backUp(cluster, timeline, target, originals);
        } catch (IOException e) {
            throw new XenonException(
                    ErrorCode.INTERNAL, "replay worker for " + timeline + " at " + target + ": " + e, e);
        } catch (PostgresRuntimeException e) {
            throw new XenonException(
                    ErrorCode.INTERNAL, "replay worker for " + timeline + " at " + target + ": " + e.getMessage(), e);
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            deleteRecursively(scratch);
        }
    }

    private static void configure(Path data) throws IOException {
        Files.deleteIfExists(data.resolve("xenon.conf"));
        Files.writeString(data.resolve("postgresql.conf"), "# Xenon replay worker: the settings are in xenon.conf\n");
        Files.writeString(data.resolve("postgresql.auto.conf"), "");
        Files.writeString(data.resolve("pg_hba.conf"), WorkerSettings.HBA);
        Files.writeString(data.resolve("pg_ident.conf"), "");
        Files.deleteIfExists(data.resolve("recovery.signal"));
        Files.writeString(data.resolve("standby.signal"), "");
    }

    private Image backUp(PostgresCluster cluster, TimelineId timeline, Lsn target, Map<String, byte[]> originals) {
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl("postgres"), cluster.superuser(), "");
                Statement s = c.createStatement()) {
            awaitReplay(cluster, s, target);
            s.execute("select pg_backup_start('xenon image', true)");
            try (ImageBuilder builder = store.newImage(timeline, target)) {
                builder.addDataDirectory(
                        cluster.dataDir(),
                        rel -> ImagePaths.belongsInImage(rel)
                                && !CONFIG_FILES.contains(rel)
                                && !rel.equals("backup_label")
                                && !rel.equals("tablespace_map"));
                String label;
                String spcmap;
                Lsn stop;
                try (ResultSet rs = s.executeQuery("select labelfile, spcmapfile, lsn from pg_backup_stop(false)")) {
                    rs.next();
                    label = rs.getString(1);
                    spcmap = rs.getString(2);
                    stop = Lsn.parse(rs.getString(3));
                }
                if (spcmap != null && !spcmap.isEmpty()) {
                    throw new XenonException(
                            ErrorCode.INVALID_ARGUMENT, "tablespace map: " + spcmap + " (expected: no tablespaces)");
                }
                Lsn redo = startWalLocation(label);
                if (redo.isAfter(target) || stop.isAfter(target)) {
                    throw new XenonException(
                            ErrorCode.INTERNAL,
                            "backup of the worker at " + target + ": redo " + redo + ", stop " + stop
                                    + " (expected: both at or below the target)");
                }
                // On a standby pg_backup_stop reports pg_control's minRecoveryPoint, which may lie below the target.
                LOG.info("image of {} at {}: redo point {}, backup stop lsn {}", timeline, target, redo, stop);
                builder.addFile("backup_label", label.getBytes(StandardCharsets.UTF_8));
                originals.forEach(builder::addFile);
                return builder.commit(redo);
            }
        } catch (SQLException e) {
            throw new XenonException(
                    ErrorCode.INTERNAL, "replay worker at " + target + ": " + e.getMessage() + logTail(cluster), e);
        }
    }

    private void awaitReplay(PostgresCluster cluster, Statement s, Lsn target) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Lsn reached = Lsn.INVALID;
        while (true) {
            try (ResultSet rs = s.executeQuery("select pg_last_wal_replay_lsn()")) {
                rs.next();
                String text = rs.getString(1);
                reached = text == null ? Lsn.INVALID : Lsn.parse(text);
            }
            if (reached.equals(target)) {
                return;
            }
            if (reached.isAfter(target) || System.nanoTime() > deadline) {
                throw new XenonException(
                        ErrorCode.INTERNAL,
                        "replay worker: replayed to " + reached + " (expected: exactly " + target + ", within "
                                + timeout.toMillis() + " ms)" + logTail(cluster));
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new XenonException(ErrorCode.UNAVAILABLE, "replay worker: interrupted at " + reached);
            }
        }
    }

    static Lsn startWalLocation(String label) {
        Matcher m = START_WAL.matcher(label == null ? "" : label);
        if (!m.find()) {
            throw new XenonException(
                    ErrorCode.INTERNAL, "backup_label: '" + label + "' (expected: a START WAL LOCATION line)");
        }
        return Lsn.parse(m.group(1));
    }

    private static PgControlFile readControl(Path dataDir) {
        try {
            return PgControlFile.parse(Files.readAllBytes(dataDir.resolve(ImageBuilder.PG_CONTROL)));
        } catch (IOException e) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "data directory: " + dataDir + " has no readable global/pg_control");
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> entries = Files.walk(from)) {
            for (Path source : entries.sorted().toList()) {
                String rel = from.relativize(source).toString();
                if (rel.isEmpty() || !ImagePaths.belongsInImage(rel)) {
                    continue;
                }
                Path target = to.resolve(rel);
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(source)) {
                    Files.copy(source, target);
                }
            }
        }
        Files.createDirectories(to.resolve("pg_wal"));
    }

    private static String logTail(PostgresCluster cluster) {
        try {
            String log = Files.readString(cluster.logFile(), StandardCharsets.UTF_8);
            return "\n--- worker log (tail) ---\n" + log.substring(Math.max(0, log.length() - 3000));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static void deleteRecursively(Path dir) {
        try {
            FileTrees.deleteRecursively(dir);
        } catch (IOException e) {
            // Scratch space: a leftover is harmless and the next worker uses a new directory.
        }
    }
}
