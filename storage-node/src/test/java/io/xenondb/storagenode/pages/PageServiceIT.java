package io.xenondb.storagenode.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.pgruntime.PostgresCluster;
import io.xenondb.pgruntime.StopMode;
import io.xenondb.proto.pageapi.GetDbSizeRequest;
import io.xenondb.proto.pageapi.GetPageRequest;
import io.xenondb.proto.pageapi.GetPageResponse;
import io.xenondb.proto.pageapi.GetPageStatusCode;
import io.xenondb.proto.pageapi.GetRelSizeRequest;
import io.xenondb.proto.pageapi.GetRelSizeResponse;
import io.xenondb.proto.pageapi.GetSlruSegmentRequest;
import io.xenondb.proto.pageapi.LeaseLsnRequest;
import io.xenondb.proto.pageapi.PageServiceGrpc;
import io.xenondb.proto.pageapi.ReadLsn;
import io.xenondb.proto.pageapi.RequestID;
import io.xenondb.shared.client.storagenode.LocationConfig;
import io.xenondb.shared.client.storagenode.LocationConfigMode;
import io.xenondb.shared.client.storagenode.TimelineCreateRequest;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.io.FileTrees;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.storagenode.grpc.PageService;
import io.xenondb.storagenode.grpc.PageServiceHeaders;
import io.xenondb.storagenode.image.Image;
import io.xenondb.storagenode.image.ImageStore;
import io.xenondb.storagenode.ingest.WalReceiver;
import io.xenondb.storagenode.replay.ReplayWorker;
import io.xenondb.storagenode.replay.SegmentFileWalSource;
import io.xenondb.storagenode.tenant.Bootstrap;
import io.xenondb.storagenode.tenant.ImageMaker;
import io.xenondb.storagenode.tenant.TenantManager;
import io.xenondb.storagenode.timeline.Timeline;
import io.xenondb.storagenode.wal.WalSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The page service against stock PostgreSQL: a timeline bootstrapped in a {@link TenantManager}, a primary
 * started from its base backup writing rows in a database of its own, its WAL ingested; then, at an LSN with no
 * image and at one with an image, every page, relation size, the database size and the clog segment served over
 * gRPC equal what a compute started from a base backup at that LSN reports ({@code get_raw_page},
 * {@code pg_relation_size}, {@code pg_database_size}, {@code pg_read_binary_file}).
 */
@Tag("storage-node")
class PageServiceIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final TenantShardId TENANT =
            TenantShardId.unsharded(TenantId.parse("5a1e0c3b2d4f60718293a4b5c6d7e8f9"));
    private static final TimelineId TIMELINE = TimelineId.parse("7c2d9e0f1a2b3c4d5e6f708192a3b4c5");

    private static Path work;
    private static PostgresBinaries binaries;
    private static TenantManager manager;
    private static SnapshotCache snapshots;
    private static Server server;
    private static ManagedChannel channel;
    private static PageServiceGrpc.PageServiceBlockingStub stub;
    private static PageServiceGrpc.PageServiceStub asyncStub;
    private static Lsn afterInserts; // no image here
    private static Lsn imageLsn; // an image here
    private static Lsn afterUpdate; // between the two: only t changed since afterInserts
    private static RelTagBuilder quiet; // a table nothing touches after afterInserts
    private static RelTagBuilder busy; // t, which the update changes

    @BeforeAll
    static void bootstrapWriteAndIngest() throws Exception {
        work = Path.of("target", "pages-it", UUID.randomUUID().toString()).toAbsolutePath();
        Files.createDirectories(work);
        binaries = PostgresBinaries.bundled();
        Path replayScratch = work.resolve("tmp").resolve("replay");
        ImageMaker maker = new ImageMaker() {
            @Override
            public Image bootstrap(ImageStore store, TimelineId timeline, Path initdbDir, WalSource wal, Lsn lsn) {
                return new ReplayWorker(binaries, store, replayScratch, TIMEOUT, Bootstrap.SUPERUSER)
                        .makeImage(timeline, initdbDir, wal, lsn);
            }

            @Override
            public Image make(ImageStore store, Image base, TimelineId timeline, WalSource wal, Lsn target) {
                return new ReplayWorker(binaries, store, replayScratch, TIMEOUT, Bootstrap.SUPERUSER)
                        .makeImage(timeline, base, wal, target);
            }
        };
        manager = new TenantManager(
                NodeId.of(1),
                work,
                Clock.systemUTC(),
                binaries,
                maker,
                null,
                new TenantManager.Settings(
                        Duration.ofSeconds(3), Duration.ofHours(1), WalReceiver.Settings.defaults()));
        manager.start();
        manager.setLocation(TENANT, LocationConfig.attached(LocationConfigMode.AttachedSingle, 1));
        Timeline timeline = manager.createTimeline(TENANT, TimelineCreateRequest.bootstrap(TIMELINE));

        Path primaryDir = unpackBasebackup(Lsn.INVALID, "primary");
        try (PostgresCluster primary = PostgresCluster.open(binaries, primaryDir, Bootstrap.SUPERUSER)) {
            primary.writeConfig(Map.of("wal_keep_size", "1GB", "shared_buffers", "16MB", "autovacuum", "off"));
            primary.start(FreePorts.allocate(), TIMEOUT);
            try (Connection c = connect(primary, "postgres");
                    Statement s = c.createStatement()) {
                s.execute("create database app");
            }
            try (Connection c = connect(primary, "app");
                    Statement s = c.createStatement()) {
                s.execute("create table t (id int primary key, pad text)");
                s.execute("insert into t select g, repeat(md5(g::text), 4) from generate_series(1, 3000) g");
                s.execute("create table quiet (id int)");
                s.execute("insert into quiet select g from generate_series(1, 100) g");
                long db = Long.parseLong(queryText(s, "select oid from pg_database where datname = 'app'"));
                quiet = new RelTagBuilder(
                        1663, db, Long.parseLong(queryText(s, "select pg_relation_filenode('quiet')")), 0);
                busy = new RelTagBuilder(1663, db, Long.parseLong(queryText(s, "select pg_relation_filenode('t')")), 0);
                afterInserts = Lsn.parse(queryText(s, "select pg_current_wal_insert_lsn()"));
                s.execute("update t set pad = 'changed' where id % 7 = 0");
                afterUpdate = Lsn.parse(queryText(s, "select pg_current_wal_insert_lsn()"));
                s.execute("delete from t where id % 11 = 0");
                s.execute("insert into t select g, 'late' from generate_series(3001, 3500) g");
            }
            primary.stop(StopMode.FAST, TIMEOUT);
        }
        ingest(timeline, SegmentFileWalSource.open(primaryDir.resolve("pg_wal")));
        imageLsn = manager.checkpoint(TENANT, TIMELINE).orElseThrow().lsn();
        assertThat(imageLsn).isEqualTo(timeline.lastRecordLsn()).isGreaterThan(afterInserts);

        snapshots = new SnapshotCache(
                new Materialiser(binaries, work.resolve("tmp").resolve("pages"), TIMEOUT),
                3,
                Duration.ofMinutes(3),
                2,
                Clock.systemUTC());
        PageReads reads = new PageReads(manager, snapshots, Clock.systemUTC());
        int port = FreePorts.allocate();
        server = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
                .addService(ServerInterceptors.intercept(new PageService(manager, reads), new PageServiceHeaders()))
                .build()
                .start();
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
                .build();
        Metadata headers = new Metadata();
        headers.put(
                Metadata.Key.of("neon-tenant-id", Metadata.ASCII_STRING_MARSHALLER),
                TENANT.tenantId().toString());
        headers.put(Metadata.Key.of("neon-timeline-id", Metadata.ASCII_STRING_MARSHALLER), TIMELINE.toString());
        headers.put(Metadata.Key.of("neon-shard-id", Metadata.ASCII_STRING_MARSHALLER), "0000");
        stub = PageServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(2, TimeUnit.MINUTES);
        asyncStub =
                PageServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (snapshots != null) {
            snapshots.close();
        }
        if (manager != null) {
            manager.close();
        }
        if (work != null) {
            FileTrees.deleteRecursively(work);
        }
    }

    @Test
    void atAnLsnWithoutAnImageEveryReadEqualsTheComputes() throws Exception {
        assertThat(manager.tenant(TENANT).imageOf(manager.tenant(TENANT).timeline(TIMELINE), afterInserts))
                .map(Image::lsn)
                .get()
                .matches(lsn -> lsn.isBefore(afterInserts), "an image below the read lsn");
        compareWithCompute(afterInserts, "no-image");
    }

    @Test
    void atTheLsnOfAnImageEveryReadEqualsTheComputes() throws Exception {
        compareWithCompute(imageLsn, "image");
        // The snapshot is kept: a second read at the LSN needs no recovery.
        assertThat(snapshots.keys()).contains(new PageSnapshot.Key(TENANT, TIMELINE, imageLsn));
    }

    /**
     * The change index: a read at a later LSN of pages nothing touched since a cached snapshot is served from that
     * snapshot (no new recovery); a read of a page that did change makes a snapshot at the LSN.
     */
    @Test
    void pagesUnchangedSinceACachedSnapshotAreServedFromIt() throws Exception {
        List<GetPageResponse> atInserts = getPages(List.of(GetPageRequest.newBuilder()
                .setRequestId(RequestID.newBuilder().setId(901))
                .setReadLsn(readLsn(afterInserts))
                .setRel(quiet.proto())
                .addBlockNumber(0)
                .build()));
        PageSnapshot.Key later = new PageSnapshot.Key(TENANT, TIMELINE, afterUpdate);
        List<GetPageResponse> atUpdate = getPages(List.of(GetPageRequest.newBuilder()
                .setRequestId(RequestID.newBuilder().setId(902))
                .setReadLsn(readLsn(afterUpdate))
                .setRel(quiet.proto())
                .addBlockNumber(0)
                .build()));
        assertThat(snapshots.keys()).doesNotContain(later);
        assertThat(atUpdate.getFirst().getPage(0).getImage())
                .isEqualTo(atInserts.getFirst().getPage(0).getImage());

        getPages(List.of(GetPageRequest.newBuilder()
                .setRequestId(RequestID.newBuilder().setId(903))
                .setReadLsn(readLsn(afterUpdate))
                .setRel(busy.proto())
                .addBlockNumber(0)
                .build()));
        assertThat(snapshots.keys()).contains(later);
    }

    @Test
    void badRequestsGetTypedErrors() {
        RelTagBuilder rel = new RelTagBuilder(1663, 5, 1259, 0);
        assertStatus(
                () -> stub.getRelSize(GetRelSizeRequest.newBuilder()
                        .setReadLsn(readLsn(Lsn.INVALID))
                        .setRel(rel.proto())
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "request_lsn: 0/0");
        assertStatus(
                () -> stub.getRelSize(GetRelSizeRequest.newBuilder()
                        .setReadLsn(ReadLsn.newBuilder()
                                .setRequestLsn(imageLsn.value())
                                .setNotModifiedSinceLsn(imageLsn.value() + 8))
                        .setRel(rel.proto())
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "not_modified_since_lsn");
        assertStatus(
                () -> stub.getDbSize(GetDbSizeRequest.newBuilder()
                        .setReadLsn(readLsn(Lsn.of(0x100)))
                        .setDbOid(5)
                        .build()),
                Status.Code.FAILED_PRECONDITION,
                "below its oldest readable lsn");
        assertStatus(
                () -> stub.getSlruSegment(GetSlruSegmentRequest.newBuilder()
                        .setReadLsn(readLsn(imageLsn))
                        .setKind(7)
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "kind: 7");
        assertStatus(
                () -> stub.getRelSize(GetRelSizeRequest.newBuilder()
                        .setReadLsn(readLsn(imageLsn))
                        .setRel(new RelTagBuilder(1700, 5, 1259, 0).proto())
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "spc_oid: 1700");
        PageServiceGrpc.PageServiceBlockingStub noTimeline = PageServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(tenantOnly()));
        assertStatus(
                () -> noTimeline.getDbSize(GetDbSizeRequest.newBuilder()
                        .setReadLsn(readLsn(imageLsn))
                        .setDbOid(5)
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "neon-timeline-id: missing");
    }

    @Test
    void leasesExpireAfterTheTenantsLeaseLengthAndRefuseCollectedLsns() {
        Instant before = Instant.now();
        var expires = stub.leaseLsn(LeaseLsnRequest.newBuilder()
                        .setLsn(afterInserts.value())
                        .build())
                .getExpires();
        Instant expiry = Instant.ofEpochSecond(expires.getSeconds(), expires.getNanos());
        assertThat(expiry)
                .isBetween(before.plus(Duration.ofMinutes(10)), Instant.now().plus(Duration.ofMinutes(10)));
        assertThat(manager.tenant(TENANT).leases().oldestActive(TIMELINE, Instant.now()))
                .contains(afterInserts);
        assertThat(manager.tenant(TENANT).leases().oldestActive(TIMELINE, expiry))
                .isEmpty();
        assertStatus(
                () -> stub.leaseLsn(LeaseLsnRequest.newBuilder().setLsn(0x100).build()),
                Status.Code.FAILED_PRECONDITION,
                "GC cutoff");
        assertStatus(
                () -> stub.leaseLsn(LeaseLsnRequest.newBuilder().setLsn(0).build()),
                Status.Code.INVALID_ARGUMENT,
                "lsn: 0/0");
    }

    /** What a compute started from a base backup at an LSN reports about database app and its table t. */
    private record ComputeView(
            Lsn lsn,
            long dbOid,
            long dbSize,
            byte[] clog,
            Map<RelTagBuilder, Long> blocks,
            Map<RelTagBuilder, List<byte[]>> pages) {}

    private static void compareWithCompute(Lsn requested, String name) throws Exception {
        ComputeView compute = computeAt(requested, name);
        ReadLsn at = readLsn(compute.lsn());

        assertThat(stub.getDbSize(GetDbSizeRequest.newBuilder()
                                .setReadLsn(at)
                                .setDbOid((int) compute.dbOid())
                                .build())
                        .getNumBytes())
                .isEqualTo(compute.dbSize());
        ByteString clog = stub.getSlruSegment(GetSlruSegmentRequest.newBuilder()
                        .setReadLsn(at)
                        .setKind(0)
                        .setSegno(0)
                        .build())
                .getSegment();
        assertThat(clog.toByteArray()).isEqualTo(compute.clog());

        List<GetPageRequest> batches = new ArrayList<>();
        List<RelTagBuilder> order = new ArrayList<>();
        long id = 100;
        for (var e : compute.blocks().entrySet()) {
            GetRelSizeResponse size = stub.getRelSize(GetRelSizeRequest.newBuilder()
                    .setReadLsn(at)
                    .setRel(e.getKey().proto())
                    .setAllowMissing(true) // pg_relation_size says 0 for a fork with no file
                    .build());
            assertThat((long) size.getNumBlocks())
                    .as("blocks of %s", e.getKey())
                    .isEqualTo(e.getValue());
            assertThat(size.getMissing()).isEqualTo(e.getValue() == 0 && size.getMissing());
            if (e.getValue() > 0) {
                GetPageRequest.Builder batch = GetPageRequest.newBuilder()
                        .setRequestId(RequestID.newBuilder().setId(id++))
                        .setReadLsn(at)
                        .setRel(e.getKey().proto());
                for (int blkno = 0; blkno < e.getValue(); blkno++) {
                    batch.addBlockNumber(blkno);
                }
                batches.add(batch.build());
                order.add(e.getKey());
            }
        }
        assertThat(order).as("heap and index have pages").hasSizeGreaterThanOrEqualTo(2);
        RelTagBuilder heap = order.get(0);
        long heapBlocks = compute.blocks().get(heap);
        // Bad requests in the same stream are answered in-band and the stream goes on.
        batches.add(GetPageRequest.newBuilder()
                .setRequestId(RequestID.newBuilder().setId(7).setAttempt(2))
                .setReadLsn(at)
                .setRel(heap.proto())
                .addBlockNumber((int) heapBlocks)
                .build());
        batches.add(GetPageRequest.newBuilder()
                .setRequestId(RequestID.newBuilder().setId(8))
                .setReadLsn(readLsn(Lsn.INVALID))
                .setRel(heap.proto())
                .addBlockNumber(0)
                .build());
        batches.add(GetPageRequest.newBuilder()
                .setRequestId(RequestID.newBuilder().setId(9))
                .setReadLsn(at)
                .setRel(new RelTagBuilder(1663, compute.dbOid(), 4_000_000_000L, 0).proto())
                .addBlockNumber(0)
                .build());
        List<GetPageResponse> responses = getPages(batches);
        assertThat(responses).hasSize(batches.size());
        for (int i = 0; i < order.size(); i++) {
            GetPageResponse response = responses.get(i);
            assertThat(response.getStatusCode())
                    .as(response.getReason())
                    .isEqualTo(GetPageStatusCode.GET_PAGE_STATUS_CODE_OK);
            assertThat(response.getRequestId()).isEqualTo(batches.get(i).getRequestId());
            List<byte[]> expected = compute.pages().get(order.get(i));
            assertThat(response.getPageCount()).isEqualTo(expected.size());
            for (int blkno = 0; blkno < expected.size(); blkno++) {
                assertThat(response.getPage(blkno).getBlockNumber()).isEqualTo(blkno);
                assertThat(response.getPage(blkno).getImage().toByteArray())
                        .as("block %d of %s at %s", blkno, order.get(i), compute.lsn())
                        .isEqualTo(expected.get(blkno));
            }
        }
        GetPageResponse beyond = responses.get(order.size());
        assertThat(beyond.getRequestId().getAttempt()).isEqualTo(2);
        assertThat(beyond.getStatusCode()).isEqualTo(GetPageStatusCode.GET_PAGE_STATUS_CODE_NOT_FOUND);
        assertThat(beyond.getReason()).contains("beyond its end (" + heapBlocks + " blocks)");
        assertThat(beyond.getPageCount()).isZero();
        assertThat(responses.get(order.size() + 1).getStatusCode())
                .isEqualTo(GetPageStatusCode.GET_PAGE_STATUS_CODE_INVALID_REQUEST);
        assertThat(responses.get(order.size() + 2).getStatusCode())
                .isEqualTo(GetPageStatusCode.GET_PAGE_STATUS_CODE_NOT_FOUND);

        RelTagBuilder absent = new RelTagBuilder(1663, compute.dbOid(), 4_000_000_000L, 0);
        assertThat(stub.getRelSize(GetRelSizeRequest.newBuilder()
                                .setReadLsn(at)
                                .setRel(absent.proto())
                                .setAllowMissing(true)
                                .build())
                        .getMissing())
                .isTrue();
        assertStatus(
                () -> stub.getRelSize(GetRelSizeRequest.newBuilder()
                        .setReadLsn(at)
                        .setRel(absent.proto())
                        .build()),
                Status.Code.NOT_FOUND,
                "does not exist");
    }

    private static ComputeView computeAt(Lsn requested, String name) throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        Lsn lsn = manager.basebackup(TENANT, TIMELINE, requested, tar);
        Path dir = unpack(tar.toByteArray(), name);
        try (PostgresCluster compute = PostgresCluster.open(binaries, dir, Bootstrap.SUPERUSER)) {
            compute.writeConfig(Map.of("shared_buffers", "16MB", "autovacuum", "off"));
            compute.start(FreePorts.allocate(), TIMEOUT);
            long dbOid;
            long dbSize;
            byte[] clog;
            // Sizes before anything connects to app (a connection adds its relcache init file).
            try (Connection c = connect(compute, "postgres");
                    Statement s = c.createStatement()) {
                dbOid = queryLong(s, "select oid from pg_database where datname = 'app'");
                dbSize = queryLong(s, "select pg_database_size('app')");
                try (ResultSet rs = s.executeQuery("select pg_read_binary_file('pg_xact/0000')")) {
                    rs.next();
                    clog = rs.getBytes(1);
                }
            }
            Map<RelTagBuilder, Long> blocks = new java.util.LinkedHashMap<>();
            Map<RelTagBuilder, List<byte[]>> pages = new java.util.LinkedHashMap<>();
            try (Connection c = connect(compute, "app");
                    Statement s = c.createStatement()) {
                s.execute("create extension pageinspect");
                String[][] forks = {{"t", "main", "0"}, {"t_pkey", "main", "0"}, {"t", "fsm", "1"}, {"t", "vm", "2"}};
                for (String[] f : forks) {
                    long filenode = queryLong(s, "select pg_relation_filenode('" + f[0] + "')");
                    long n = queryLong(s, "select pg_relation_size('" + f[0] + "', '" + f[1] + "') / 8192");
                    RelTagBuilder rel = new RelTagBuilder(1663, dbOid, filenode, Integer.parseInt(f[2]));
                    blocks.put(rel, n);
                    List<byte[]> raw = new ArrayList<>();
                    for (int blkno = 0; blkno < n; blkno++) {
                        try (ResultSet rs =
                                s.executeQuery("select get_raw_page('" + f[0] + "', '" + f[1] + "', " + blkno + ")")) {
                            rs.next();
                            raw.add(rs.getBytes(1));
                        }
                    }
                    pages.put(rel, raw);
                }
            } finally {
                compute.stop(StopMode.FAST, TIMEOUT);
            }
            return new ComputeView(lsn, dbOid, dbSize, clog, blocks, pages);
        }
    }

    private static List<GetPageResponse> getPages(List<GetPageRequest> requests) throws Exception {
        CompletableFuture<List<GetPageResponse>> done = new CompletableFuture<>();
        List<GetPageResponse> received = new ArrayList<>();
        StreamObserver<GetPageRequest> out = asyncStub.getPages(new StreamObserver<>() {
            @Override
            public void onNext(GetPageResponse value) {
                received.add(value);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(received);
            }
        });
        requests.forEach(out::onNext);
        out.onCompleted();
        return done.get(2, TimeUnit.MINUTES);
    }

    /** A relation fork as the proto names it, usable as a map key. */
    private record RelTagBuilder(long spc, long db, long rel, int fork) {
        io.xenondb.proto.pageapi.RelTag proto() {
            return io.xenondb.proto.pageapi.RelTag.newBuilder()
                    .setSpcOid((int) spc)
                    .setDbOid((int) db)
                    .setRelNumber((int) rel)
                    .setForkNumber(fork)
                    .build();
        }
    }

    private static ReadLsn readLsn(Lsn lsn) {
        return ReadLsn.newBuilder().setRequestLsn(lsn.value()).build();
    }

    private static Metadata tenantOnly() {
        Metadata headers = new Metadata();
        headers.put(
                Metadata.Key.of("neon-tenant-id", Metadata.ASCII_STRING_MARSHALLER),
                TENANT.tenantId().toString());
        return headers;
    }

    private static void assertStatus(Runnable call, Status.Code code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(message);
        });
    }

    private static void ingest(Timeline timeline, WalSource wal) throws IOException {
        Timeline.IngestWriter writer = timeline.ingest();
        Lsn pos = writer.position();
        while (pos.isBefore(wal.end())) {
            int len = (int) Math.min(1 << 20, wal.end().minus(pos));
            ByteBuffer buffer = ByteBuffer.allocate(len);
            wal.read(pos, buffer);
            writer.write(pos, buffer.array());
            pos = pos.plus(len);
        }
        assertThat(timeline.lastRecordLsn()).isEqualTo(wal.end());
    }

    private static Path unpackBasebackup(Lsn lsn, String name) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        manager.basebackup(TENANT, TIMELINE, lsn, tar);
        return unpack(tar.toByteArray(), name);
    }

    private static Path unpack(byte[] tar, String name) throws IOException {
        Path dir = work.resolve("compute-" + name);
        Files.createDirectories(dir);
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path target = dir.resolve(e.getName()).normalize();
                assertThat(target.startsWith(dir))
                        .as("tar entry %s inside the directory", e.getName())
                        .isTrue();
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
        return dir;
    }

    private static Connection connect(PostgresCluster cluster, String db) throws SQLException {
        return DriverManager.getConnection(cluster.jdbcUrl(db), cluster.superuser(), "");
    }

    private static long queryLong(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String queryText(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
