package io.xenondb.storagenode.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.service.http.HttpErrorHandler;
import io.xenondb.service.spring.ServiceEndpoints;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.storagenode.grpc.PageService;
import io.xenondb.storagenode.http.ManagementApi;
import io.xenondb.storagenode.image.Image;
import io.xenondb.storagenode.image.ImageStore;
import io.xenondb.storagenode.ingest.WalNodeDirectory;
import io.xenondb.storagenode.pages.Materialiser;
import io.xenondb.storagenode.pages.PageReads;
import io.xenondb.storagenode.pages.SnapshotCache;
import io.xenondb.storagenode.remote.GenerationValidator;
import io.xenondb.storagenode.remote.RemoteStorageConfig;
import io.xenondb.storagenode.remote.sync.HeldLocationValidator;
import io.xenondb.storagenode.remote.sync.RemoteSync;
import io.xenondb.storagenode.remote.sync.SyncStats;
import io.xenondb.storagenode.replay.ReplayWorker;
import io.xenondb.storagenode.tenant.Bootstrap;
import io.xenondb.storagenode.tenant.ImageMaker;
import io.xenondb.storagenode.tenant.TenantManager;
import io.xenondb.storagenode.upcall.ControlPlaneClient;
import io.xenondb.storagenode.wal.WalSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the storage node: tenants, ingest, replay workers, the management API and the page service. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageNodeProperties.class)
public class StorageNodeConfiguration {
    /** A replay to one image must finish within this. */
    static final Duration REPLAY_TIMEOUT = Duration.ofMinutes(10);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    PostgresBinaries postgresBinaries(StorageNodeProperties properties) {
        return properties.pgBinDir().map(PostgresBinaries::fromBinDir).orElseGet(PostgresBinaries::bundled);
    }

    /** Images come from replay workers: stock PostgreSQL replaying to exactly the image's LSN. */
    @Bean
    ImageMaker imageMaker(PostgresBinaries binaries, StorageNodeProperties properties) {
        Path scratch = properties.workdirPath().toAbsolutePath().resolve("tmp").resolve("replay");
        return new ImageMaker() {
            @Override
            public Image bootstrap(ImageStore store, TimelineId timeline, Path initdbDir, WalSource wal, Lsn lsn) {
                return new ReplayWorker(binaries, store, scratch, REPLAY_TIMEOUT, Bootstrap.SUPERUSER)
                        .makeImage(timeline, initdbDir, wal, lsn);
            }

            @Override
            public Image make(ImageStore store, Image base, TimelineId timeline, WalSource wal, Lsn target) {
                return new ReplayWorker(binaries, store, scratch, REPLAY_TIMEOUT, Bootstrap.SUPERUSER)
                        .makeImage(timeline, base, wal, target);
            }
        };
    }

    @Bean(destroyMethod = "close")
    WalNodeDirectory walNodeDirectory(StorageNodeProperties properties, Clock clock) {
        WalNodeDirectory directory = new WalNodeDirectory(properties.brokerAddress(), clock, Duration.ofSeconds(10));
        directory.start();
        return directory;
    }

    @Bean(destroyMethod = "close")
    TenantManager tenantManager(
            StorageNodeProperties properties,
            Clock clock,
            PostgresBinaries binaries,
            ImageMaker imageMaker,
            WalNodeDirectory walNodes,
            ControlPlaneProperties controlPlane)
            throws IOException {
        TenantManager.Settings defaults = TenantManager.Settings.defaults();
        TenantManager manager = new TenantManager(
                properties.nodeId(),
                properties.workdirPath(),
                clock,
                binaries,
                imageMaker,
                walNodes,
                new TenantManager.Settings(
                        properties.waitLsnTimeout(), defaults.imageCheckInterval(), defaults.ingest()));
        if (controlPlane.upcallBase().isEmpty()) {
            manager.start();
        } // else the re-attach answer decides what loads (ControlPlaneStart)
        return manager;
    }

    /** Uploads to and attaches from object storage, when {@code --remote-storage} is given. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("remote-storage")
    RemoteSync remoteSync(
            StorageNodeProperties properties,
            TenantManager tenants,
            ObjectProvider<MeterRegistry> meters,
            ObjectProvider<ControlPlaneClient> controlPlane)
            throws IOException {
        // Deletions need this node to hold the generation and, with a controller, the controller to confirm it.
        HeldLocationValidator held = new HeldLocationValidator(tenants);
        ControlPlaneClient upcalls = controlPlane.getIfAvailable();
        GenerationValidator validator = upcalls == null
                ? held
                : (id, generation) -> held.isCurrent(id, generation) && upcalls.isCurrent(id, generation);
        RemoteStorageConfig config = properties
                .remoteStorageConfig()
                .orElseThrow(() -> new IllegalStateException("remote-storage is empty"));
        RemoteSync sync = new RemoteSync(
                config.open(),
                tenants,
                validator,
                properties.workdirPath().toAbsolutePath().resolve("tmp").resolve("remote-sync"),
                RemoteSync.Settings.defaults());
        sync.start();
        meters.ifAvailable(registry -> {
            SyncStats stats = sync.stats();
            registry.gauge("storage_remote_files_uploaded", stats, SyncStats::filesUploaded);
            registry.gauge("storage_remote_bytes_uploaded", stats, SyncStats::bytesUploaded);
            registry.gauge("storage_remote_indexes_uploaded", stats, SyncStats::indexesUploaded);
            registry.gauge("storage_remote_sync_failures", stats, SyncStats::failures);
            registry.gauge("storage_remote_deletions_refused", stats, SyncStats::deletionsRefused);
        });
        return sync;
    }

    @Bean(destroyMethod = "close")
    io.xenondb.storagenode.metrics.StorageNodeMetrics storageNodeMetrics(
            MeterRegistry registry, TenantManager tenants) {
        return new io.xenondb.storagenode.metrics.StorageNodeMetrics(registry, tenants);
    }

    @Bean
    ServiceEndpoints storageNodeEndpoints(StorageNodeProperties properties) {
        return new ServiceEndpoints("page_api.PageService", properties.listenGrpc(), properties.listenHttp());
    }

    @Bean
    ManagementApi managementApi(TenantManager tenants, PageReads pageReads, Clock clock) {
        return new ManagementApi(tenants, pageReads, clock);
    }

    /** Page reads: snapshots made by crash recovery at the read's LSN, a few kept for a few minutes. */
    @Bean(destroyMethod = "close")
    SnapshotCache pageSnapshots(PostgresBinaries binaries, StorageNodeProperties properties, Clock clock) {
        Path root = properties.workdirPath().toAbsolutePath().resolve("tmp").resolve("pages");
        return new SnapshotCache(new Materialiser(binaries, root, REPLAY_TIMEOUT), 3, Duration.ofMinutes(3), 2, clock);
    }

    @Bean
    PageReads pageReads(TenantManager tenants, SnapshotCache snapshots, Clock clock) {
        return new PageReads(tenants, snapshots, clock);
    }

    @Bean
    PageService pageService(TenantManager tenants, PageReads pageReads) {
        return new PageService(tenants, pageReads);
    }

    @Bean
    io.xenondb.storagenode.auth.StorageNodeAuth storageNodeAuth(StorageNodeProperties properties, Clock clock) {
        return new io.xenondb.storagenode.auth.StorageNodeAuth(properties.authKey(), clock);
    }

    @Bean
    io.xenondb.storagenode.auth.AuthWebFilter authWebFilter(io.xenondb.storagenode.auth.StorageNodeAuth auth) {
        return new io.xenondb.storagenode.auth.AuthWebFilter(auth);
    }

    @Bean
    @org.springframework.grpc.server.GlobalServerInterceptor
    io.xenondb.storagenode.grpc.PageServiceHeaders pageServiceHeaders(
            io.xenondb.storagenode.auth.StorageNodeAuth auth) {
        return new io.xenondb.storagenode.grpc.PageServiceHeaders(auth);
    }

    @Bean
    HttpErrorHandler httpErrorHandler() {
        return new HttpErrorHandler();
    }
}
