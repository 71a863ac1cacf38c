package io.xenondb.storagenode.remote.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.pgruntime.FreePorts;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.pgruntime.PostgresCluster;
import io.xenondb.pgruntime.StopMode;
import io.xenondb.shared.client.storagenode.LocationConfig;
import io.xenondb.shared.client.storagenode.LocationConfigMode;
import io.xenondb.shared.client.storagenode.TimelineCreateRequest;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.Generation;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.io.FileTrees;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.storagenode.image.Image;
import io.xenondb.storagenode.image.ImageStore;
import io.xenondb.storagenode.ingest.WalReceiver;
import io.xenondb.storagenode.remote.AttachmentMode;
import io.xenondb.storagenode.remote.IndexPart;
import io.xenondb.storagenode.remote.RemoteKey;
import io.xenondb.storagenode.remote.RemoteObject;
import io.xenondb.storagenode.remote.RemotePaths;
import io.xenondb.storagenode.remote.RemoteStorage;
import io.xenondb.storagenode.remote.RemoteTimelineClient;
import io.xenondb.storagenode.replay.ReplayWorker;
import io.xenondb.storagenode.replay.SegmentFileWalSource;
import io.xenondb.storagenode.tenant.ImageMaker;
import io.xenondb.storagenode.tenant.TenantManager;
import io.xenondb.storagenode.timeline.Timeline;
import io.xenondb.storagenode.wal.WalSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole remote story against one kind of object store: a node bootstraps a timeline and a branch, computes
 * write rows (more than one WAL segment on the main timeline), the node uploads; its disk is wiped; a node
 * attaches the tenant with the next generation from object storage alone, and computes started from its base
 * backups see every row, on both timelines. The old generation cannot delete what is there.
 */
abstract class RemoteSyncContract {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final TenantShardId TENANT = TenantShardId.parse("2b7e151628aed2a6abf7158809cf4f3c");
    private static final TimelineId MAIN = TimelineId.parse("6bc1bee22e409f96e93d7e117393172a");
    private static final TimelineId BRANCH = TimelineId.parse("ae2d8a571e03ac9c9eb76fac45af8e51");
    private static final int CHUNK = 3 << 20;

    private final PostgresBinaries binaries = PostgresBinaries.bundled();
    private Path root;
    private Node node;

    private RemoteStorage client;

    /** A new client of the store under test; every client sees the same objects. */
    abstract RemoteStorage openStorage();

    /** The test's own client. */
    private RemoteStorage storage() {
        if (client == null) {
            client = openStorage();
        }
        return client;
    }

    @BeforeEach
    void createRoot() throws IOException {
        root = Files.createDirectories(
                        Path.of("target", "remote-sync-it", UUID.randomUUID().toString()))
                .toAbsolutePath();
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (node != null) {
            node.close();
        }
        if (client != null) {
            client.close();
        }
        deleteTree(root);
    }

    @Test
    void attachFromObjectStorageAloneKeepsEveryRowOfMainAndBranch() throws Exception {
        node = new Node(root.resolve("node-a"));
        node.tenants.setLocation(TENANT, LocationConfig.attached(LocationConfigMode.AttachedSingle, 1));
        Timeline main = node.tenants.createTimeline(TENANT, TimelineCreateRequest.bootstrap(MAIN));
        // More than a segment of WAL, fed in pieces with uploads between them: pieces, then the whole segment.
        compute(
                main,
                "create table t (id int, who text, pad text);"
                        + " insert into t select g, 'main', repeat('x', 1000) from generate_series(1, 20000) g");
        assertThat(main.diskConsistentLsn().segmentNumber())
                .isGreaterThan(main.metadata().startLsn().segmentNumber());
        assertThat(node.sync.stats().objectsDeleted())
                .as("pieces replaced by their whole segment")
                .isPositive();

        Timeline branch =
                node.tenants.createTimeline(TENANT, TimelineCreateRequest.branch(BRANCH, MAIN, Optional.empty()));
        compute(branch, "insert into t select g, 'branch', '' from generate_series(1, 50) g");
        compute(main, "insert into t select g, 'main2', '' from generate_series(1, 30) g");
        Image mainImage = node.tenants.checkpoint(TENANT, MAIN).orElseThrow();
        Image branchImage = node.tenants.checkpoint(TENANT, BRANCH).orElseThrow();
        awaitRemoteConsistent(main, branch);
        for (Image image : List.of(mainImage, branchImage)) { // images go up in the next pass
            String manifest = ImageFileNames.remoteName("manifests/" + image.name() + ".json");
            RemoteKey index = RemotePaths.indexKey(TENANT, image.timeline(), Generation.of(1));
            await(() -> IndexPart.fromJson(storage().download(index))
                    .layerMetadata()
                    .containsKey(manifest));
        }
        List<RemoteKey> keys =
                storage().list("").stream().map(RemoteObject::key).toList();
        assertThat(keys)
                .contains(
                        RemotePaths.indexKey(TENANT, MAIN, Generation.of(1)),
                        RemotePaths.indexKey(TENANT, BRANCH, Generation.of(1)),
                        RemotePaths.objectKey(
                                TENANT,
                                BRANCH,
                                ImageFileNames.remoteName("manifests/" + branchImage.name() + ".json"),
                                Generation.of(1)));
        // Every WAL layer of segment 1 of main is the whole segment: its pieces were deleted.
        assertThat(layers(keys, MAIN).stream()
                        .filter(l -> l.inSegment(main.metadata().startLsn().segmentNumber())))
                .hasSize(1);
        Lsn mainTip = main.lastRecordLsn();
        Lsn branchTip = branch.lastRecordLsn();
        Lsn branchPoint = branch.metadata().ancestorLsn();
        assertThat(mainImage.lsn()).isEqualTo(mainTip);

        // The disk is lost.
        node.close();
        node = null;
        deleteTree(root.resolve("node-a"));

        node = new Node(root.resolve("node-b"));
        node.tenants.setLocation(TENANT, LocationConfig.attached(LocationConfigMode.AttachedSingle, 2));
        Timeline main2 = node.tenants.tenant(TENANT).timeline(MAIN);
        Timeline branch2 = node.tenants.tenant(TENANT).timeline(BRANCH);
        assertThat(main2.lastRecordLsn()).isEqualTo(mainTip);
        assertThat(branch2.lastRecordLsn()).isEqualTo(branchTip);
        assertThat(branch2.ancestor()).contains(main2);
        assertThat(branch2.metadata().ancestorLsn()).isEqualTo(branchPoint);
        assertThat(node.tenants.tenant(TENANT).images().images()).contains(mainImage, branchImage);

        assertThat(count(main2, "select count(*) from t where who = 'main'")).isEqualTo(20000);
        assertThat(count(main2, "select count(*) from t")).isEqualTo(20030);
        assertThat(count(branch2, "select count(*) from t where who = 'branch'"))
                .isEqualTo(50);
        assertThat(count(branch2, "select count(*) from t")).isEqualTo(20050);

        // The new generation writes its own index at once.
        await(() -> storage().exists(RemotePaths.indexKey(TENANT, MAIN, Generation.of(2)))
                && storage().exists(RemotePaths.indexKey(TENANT, BRANCH, Generation.of(2))));
        assertThat(main2.remoteConsistentLsn()).isEqualTo(mainTip);

        // Generation 1 is stale now: it deletes nothing, whatever mode it believes it is in.
        IndexPart gen1 = IndexPart.fromJson(storage().download(RemotePaths.indexKey(TENANT, MAIN, Generation.of(1))));
        RemoteTimelineClient stale = new RemoteTimelineClient(
                storage(),
                TENANT,
                MAIN,
                Generation.of(1),
                new HeldLocationValidator(node.tenants),
                () -> AttachmentMode.SINGLE);
        assertThatThrownBy(() -> stale.delete(gen1.layerMetadata()))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("stale");
        assertThat(storage().list("").stream().map(RemoteObject::key).toList()).containsAll(keys);
    }

    /** Starts a compute from the timeline's base backup, runs {@code sql}, stops it and feeds its WAL back. */
    private void compute(Timeline timeline, String sql) throws Exception {
        Path dir = basebackup(timeline);
        try (PostgresCluster pg = startCompute(dir)) {
            try (Connection c = connect(pg);
                    Statement s = c.createStatement()) {
                s.execute(sql);
            } finally {
                pg.stop(StopMode.FAST, TIMEOUT);
            }
        }
        WalSource wal = SegmentFileWalSource.open(dir.resolve("pg_wal"));
        Timeline.IngestWriter writer = timeline.ingest();
        for (Lsn at = writer.position(); at.isBefore(wal.end()); ) {
            ByteBuffer chunk =
                    ByteBuffer.allocate((int) Math.min(CHUNK, wal.end().minus(at)));
            wal.read(at, chunk);
            writer.write(at, chunk.array());
            at = at.plus(chunk.capacity());
            timeline.persist();
            awaitRemoteConsistent(timeline);
        }
        assertThat(timeline.lastRecordLsn()).isEqualTo(wal.end());
        deleteTree(dir);
    }

    private long count(Timeline timeline, String sql) throws Exception {
        Path dir = basebackup(timeline);
        try (PostgresCluster pg = startCompute(dir)) {
            try (Connection c = connect(pg);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            } finally {
                pg.stop(StopMode.FAST, TIMEOUT);
            }
        } finally {
            deleteTree(dir);
        }
    }

    private PostgresCluster startCompute(Path dir) {
        PostgresCluster pg = PostgresCluster.open(binaries, dir, "cloud_admin");
        pg.writeConfig(Map.of("shared_buffers", "16MB", "autovacuum", "off", "wal_keep_size", "1GB"));
        pg.start(FreePorts.allocate(), TIMEOUT);
        return pg;
    }

    /** The tip's base backup, unpacked into a new directory. */
    private Path basebackup(Timeline timeline) throws IOException {
        Path tar = root.resolve("basebackup-" + UUID.randomUUID() + ".tar");
        try (OutputStream out = Files.newOutputStream(tar)) {
            node.tenants.basebackup(TENANT, timeline.id(), Lsn.INVALID, out);
        }
        Path dir = Files.createDirectories(root.resolve("compute-" + UUID.randomUUID()));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        try (InputStream in = Files.newInputStream(tar);
                TarArchiveInputStream entries = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                Path target = dir.resolve(entry.getName()).normalize();
                assertThat(target.startsWith(dir)).as(entry.getName()).isTrue();
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(entries, target);
                }
            }
        }
        Files.delete(tar);
        return dir;
    }

    private void awaitRemoteConsistent(Timeline... timelines) throws InterruptedException {
        await(() -> Stream.of(timelines).allMatch(t -> t.remoteConsistentLsn().equals(t.diskConsistentLsn())));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline)
                    .as("waiting for the upload")
                    .isNegative();
            Thread.sleep(50);
        }
    }

    private static List<WalLayer> layers(List<RemoteKey> keys, TimelineId timeline) {
        return keys.stream()
                .map(RemotePaths::tryParse)
                .flatMap(Optional::stream)
                .filter(n -> timeline.equals(n.timeline()))
                .map(n -> WalLayer.parse(n.name()))
                .flatMap(Optional::stream)
                .toList();
    }

    private static Connection connect(PostgresCluster pg) throws java.sql.SQLException {
        return DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.superuser(), "");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (dir != null) {
            FileTrees.deleteRecursively(dir);
        }
    }

    /** A storage node's tenants and remote sync on {@code workdir}, without WAL nodes (tests feed the WAL). */
    private final class Node implements AutoCloseable {
        final TenantManager tenants;
        final RemoteSync sync;

        Node(Path workdir) throws IOException {
            Path scratch = workdir.resolve("tmp").resolve("replay");
            ImageMaker maker = new ImageMaker() {
                @Override
                public Image bootstrap(ImageStore store, TimelineId timeline, Path initdbDir, WalSource wal, Lsn lsn) {
                    return new ReplayWorker(binaries, store, scratch, TIMEOUT, TenantManager.SUPERUSER)
                            .makeImage(timeline, initdbDir, wal, lsn);
                }

                @Override
                public Image make(ImageStore store, Image base, TimelineId timeline, WalSource wal, Lsn target) {
                    return new ReplayWorker(binaries, store, scratch, TIMEOUT, TenantManager.SUPERUSER)
                            .makeImage(timeline, base, wal, target);
                }
            };
            tenants = new TenantManager(
                    NodeId.of(1),
                    workdir,
                    Clock.systemUTC(),
                    binaries,
                    maker,
                    null,
                    new TenantManager.Settings(TIMEOUT, Duration.ofHours(1), WalReceiver.Settings.defaults()));
            tenants.start();
            sync = new RemoteSync(
                    openStorage(),
                    tenants,
                    new HeldLocationValidator(tenants),
                    workdir.resolve("tmp").resolve("remote-sync"),
                    new RemoteSync.Settings(Duration.ofMillis(100), Duration.ofSeconds(1)));
            sync.start();
        }

        @Override
        public void close() {
            sync.close();
            tenants.close();
        }
    }
}
