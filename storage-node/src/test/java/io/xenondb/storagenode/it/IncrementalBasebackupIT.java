package io.xenondb.storagenode.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.xenondb.compute.start.BasebackupFetcher;
import io.xenondb.compute.start.Compute;
import io.xenondb.compute.start.ImageCache;
import io.xenondb.proto.pageapi.BaseBackupCompression;
import io.xenondb.proto.pageapi.GetBaseBackupRequest;
import io.xenondb.proto.pageapi.GetBaseBackupResponseChunk;
import io.xenondb.proto.pageapi.PageServiceGrpc;
import io.xenondb.shared.basebackup.BasebackupInfo;
import io.xenondb.shared.client.StorageNodeClient;
import io.xenondb.shared.client.WalNodeChannels;
import io.xenondb.shared.client.storagenode.TenantConf;
import io.xenondb.shared.client.storagenode.TimelineCreateRequest;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, incremental base backups: applied to the image X a client holds, the changes up to image Y give the same
 * data directory, byte for byte, as a whole base backup at the same LSN; a compute started that way sees exactly the
 * committed rows; the tar is a small fraction of the whole one when few pages changed; and an image the server does
 * not have (or a cache holding another image) falls back to a whole backup.
 */
@Tag("storage-node")
class IncrementalBasebackupIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static TestCluster cluster;
    private static StorageNodeClient client;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(Path.of("target/it/incremental")).start();
        client = cluster.client();
        channel = WalNodeChannels.open(cluster.storageGrpc);
    }

    @AfterAll
    static void stop() {
        if (channel != null) {
            WalNodeChannels.close(channel, Duration.ofSeconds(1));
        }
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void incrementalEqualsWholeAndIsSmall() throws Exception {
        TenantShardId tenant = cluster.attachTenant(TenantConf.defaults());
        TimelineId main = TimelineId.generate();
        client.timelineCreate(tenant, TimelineCreateRequest.bootstrap(main));
        Compute compute = cluster.primary(tenant, main);
        // About 2,000 heap pages, settled (frozen, all-visible) before image X so that only the updates differ.
        TestCluster.execute(
                compute,
                "create table big (id int primary key, v int, pad text) with (autovacuum_enabled = off)",
                "insert into big select g, 0, repeat(md5(g::text), 24) from generate_series(1, 18000) g",
                "vacuum freeze big",
                "checkpoint");
        Path dir = cluster.dir;
        BasebackupFetcher.fetch(channel, tenant, main, TestCluster.currentLsn(compute), dir.resolve("warm"), TIMEOUT);
        client.checkpoint(tenant, main);
        ImageCache cacheX = new ImageCache(dir.resolve("cache-x"));
        BasebackupFetcher.Result first =
                BasebackupFetcher.fetch(channel, tenant, main, Lsn.INVALID, dir.resolve("first"), TIMEOUT, cacheX);
        assertThat(first.incremental()).isFalse();
        assertThat(first.info().fullReason()).isEqualTo("requested");
        Lsn x = first.info().imageLsn();
        assertThat(cacheX.state())
                .hasValueSatisfying(s -> assertThat(s.imageLsn()).isEqualTo(x));
        copyTree(cacheX.dir(), dir.resolve("cache-x-copy"));

        TestCluster.execute(
                compute, "update big set v = v + 1 where id in (10, 4000, 8000, 12000, 17990)", "checkpoint");
        BasebackupFetcher.fetch(channel, tenant, main, TestCluster.currentLsn(compute), dir.resolve("warm2"), TIMEOUT);
        client.checkpoint(tenant, main);
        TestCluster.execute(compute, "insert into big values (100000, 7, 'after the image')");
        Lsn target = TestCluster.currentLsn(compute);

        BasebackupFetcher.Result whole =
                BasebackupFetcher.fetch(channel, tenant, main, target, dir.resolve("whole"), TIMEOUT, null);
        BasebackupFetcher.Result incremental =
                BasebackupFetcher.fetch(channel, tenant, main, target, dir.resolve("incremental"), TIMEOUT, cacheX);
        assertThat(whole.incremental()).isFalse();
        assertThat(incremental.incremental()).isTrue();
        assertThat(incremental.info().baseImageLsn()).isEqualTo(x);
        Lsn y = incremental.info().imageLsn();
        assertThat(y).isGreaterThan(x).isEqualTo(whole.info().imageLsn());
        assertThat(incremental.lsn()).isEqualTo(whole.lsn());
        assertThat(tree(dir.resolve("incremental"))).isEqualTo(tree(dir.resolve("whole")));
        assertThat(cacheX.state())
                .hasValueSatisfying(s -> assertThat(s.imageLsn()).isEqualTo(y));

        // Sizes of everything but the WAL (which both carry alike).
        long wholeData = dataBytes(rawTar(tenant, main, target, Lsn.INVALID));
        long incrementalData = dataBytes(rawTar(tenant, main, target, x));
        System.out.printf(
                "base backup at %s without WAL: whole %d bytes, incremental since %s %d bytes%n",
                target, wholeData, x, incrementalData);
        assertThat(wholeData).as("whole base backup without WAL").isGreaterThan(16L << 20);
        assertThat(incrementalData)
                .as("incremental %d bytes vs whole %d bytes", incrementalData, wholeData)
                .isLessThan(wholeData / 20);

        // The server has no image at X + 8, and none can be newer than the backup's own: whole backups.
        assertThat(info(rawTar(tenant, main, target, x.plus(8))).fullReason()).contains("no image at");
        assertThat(info(rawTar(tenant, main, target, target.plus(8))).fullReason())
                .contains("newer than");

        // A cache naming an image the server does not have, or another image at the same LSN: whole, then cached.
        ImageCache unknown = new ImageCache(dir.resolve("cache-unknown"));
        copyTree(dir.resolve("cache-x-copy"), unknown.dir());
        editCache(unknown, "image_lsn", x.plus(8).toString());
        BasebackupFetcher.Result fallback =
                BasebackupFetcher.fetch(channel, tenant, main, target, dir.resolve("fallback"), TIMEOUT, unknown);
        assertThat(fallback.incremental()).isFalse();
        assertThat(fallback.info().fullReason()).contains("no image at");
        assertThat(tree(dir.resolve("fallback"))).isEqualTo(tree(dir.resolve("whole")));
        assertThat(unknown.state())
                .hasValueSatisfying(s -> assertThat(s.imageLsn()).isEqualTo(y));
        ImageCache other = new ImageCache(dir.resolve("cache-other"));
        copyTree(dir.resolve("cache-x-copy"), other.dir());
        editCache(other, "image_id", "another-image@1");
        BasebackupFetcher.Result retried =
                BasebackupFetcher.fetch(channel, tenant, main, target, dir.resolve("retried"), TIMEOUT, other);
        assertThat(retried.incremental()).isFalse();
        assertThat(tree(dir.resolve("retried"))).isEqualTo(tree(dir.resolve("whole")));

        // A compute restarted from image X through the incremental form sees exactly the committed rows.
        cluster.destroy(compute);
        Compute resumed = cluster.primary(tenant, main, dir.resolve("cache-x-copy"));
        assertThat(resumed.basebackup().incremental()).isTrue();
        assertThat(resumed.basebackup().info().baseImageLsn()).isEqualTo(x);
        try (Connection c = TestCluster.connect(resumed);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*), sum(v), count(*) filter (where v = 1) from big")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(18001);
            assertThat(rs.getLong(2)).isEqualTo(5 + 7);
            assertThat(rs.getLong(3)).isEqualTo(5);
        }
        TestCluster.execute(resumed, "insert into big values (100001, 1, 'writes go on')");
        assertThat(TestCluster.count(resumed, "big")).isEqualTo(18002);
    }

    /** Every directory and file under {@code root} with a hash of its bytes (directories: ""). */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.toList()) {
                String rel = root.relativize(p).toString();
                all.put(rel, Files.isDirectory(p) ? "" : sha256(Files.readAllBytes(p)));
            }
        }
        return all;
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] rawTar(TenantShardId tenant, TimelineId timeline, Lsn lsn, Lsn since) throws IOException {
        Metadata headers = new Metadata();
        headers.put(
                Metadata.Key.of("neon-tenant-id", Metadata.ASCII_STRING_MARSHALLER),
                tenant.tenantId().toString());
        headers.put(Metadata.Key.of("neon-timeline-id", Metadata.ASCII_STRING_MARSHALLER), timeline.toString());
        Iterator<GetBaseBackupResponseChunk> chunks = PageServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .getBaseBackup(GetBaseBackupRequest.newBuilder()
                        .setLsn(lsn.value())
                        .setCompression(BaseBackupCompression.BASE_BACKUP_COMPRESSION_NONE)
                        .setSinceImageLsn(since.value())
                        .build());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (chunks.hasNext()) {
            chunks.next().getChunk().writeTo(out);
        }
        return out.toByteArray();
    }

    private static long dataBytes(byte[] tar) throws IOException {
        long bytes = 0;
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!e.getName().startsWith("pg_wal/")) {
                    bytes += e.getSize();
                }
            }
        }
        return bytes;
    }

    private static BasebackupInfo info(byte[] tar) throws IOException {
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry first = in.getNextEntry();
            assertThat(first.getName()).isEqualTo(BasebackupInfo.FILE);
            return BasebackupInfo.parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    private static void editCache(ImageCache cache, String key, String value) throws IOException {
        Path file = cache.dir().resolve("image_cache.properties");
        Properties p = new Properties();
        try (var in = Files.newInputStream(file)) {
            p.load(in);
        }
        p.setProperty(key, value);
        try (var out = Files.newOutputStream(file)) {
            p.store(out, null);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
