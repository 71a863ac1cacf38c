package io.xenondb.controller.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;
import io.xenondb.controller.auth.ControllerAuth;
import io.xenondb.controller.auth.ControllerAuthFilter;
import io.xenondb.controller.auth.RouteScopes;
import io.xenondb.controller.db.ControllerDatabase;
import io.xenondb.controller.db.DatabaseUrl;
import io.xenondb.controller.http.TenantRateLimitFilter;
import io.xenondb.controller.http.TenantRateLimiter;
import io.xenondb.controller.nodes.NodeResilience;
import io.xenondb.controller.nodes.ObservedState;
import io.xenondb.controller.nodes.StorageNodeHttp;
import io.xenondb.controller.nodes.WalNodeHttp;
import io.xenondb.controller.service.ControllerMetrics;
import io.xenondb.controller.service.Heartbeater;
import io.xenondb.controller.service.NodeService;
import io.xenondb.controller.service.Placement;
import io.xenondb.controller.service.Reconciler;
import io.xenondb.controller.service.StartupReconcile;
import io.xenondb.controller.service.TenantLocations;
import io.xenondb.controller.service.TenantService;
import io.xenondb.controller.service.TimelineService;
import io.xenondb.controller.service.WalNodeService;
import io.xenondb.controller.service.WalTimelines;
import io.xenondb.controller.store.NodeRepository;
import io.xenondb.controller.store.TenantRepository;
import io.xenondb.controller.store.TenantShardRepository;
import io.xenondb.controller.store.WalNodeRepository;
import io.xenondb.service.http.HttpErrorHandler;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Wires the controller: its database, the node client (with Resilience4j), the services, the reconciler and the
 * heartbeats, auth, the per-tenant rate limit and the error mapping.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ControllerProperties.class)
public class ControllerConfiguration {
    /** Calls to WAL nodes: small and local to them (timeline create and delete, status). */
    static final Duration WAL_NODE_CALL_TIMEOUT = Duration.ofSeconds(30);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    ControllerDatabase controllerDatabase(ControllerProperties properties) {
        return ControllerDatabase.open(properties.database(), properties.devDataDirPath());
    }

    /** Closed before the database (it depends on it), so the embedded server stops with no client left. */
    @Bean(destroyMethod = "dispose")
    ConnectionPool connectionFactory(ControllerDatabase database) {
        DatabaseUrl url = database.url();
        PostgresqlConnectionConfiguration.Builder config = PostgresqlConnectionConfiguration.builder()
                .host(url.host())
                .port(url.port())
                .username(url.user())
                .database(url.database())
                .applicationName("storage-controller");
        if (!url.password().isEmpty()) {
            config.password(url.password());
        }
        return new ConnectionPool(ConnectionPoolConfiguration.builder(new PostgresqlConnectionFactory(config.build()))
                .initialSize(1)
                .maxSize(10)
                .maxIdleTime(Duration.ofMinutes(5))
                .build());
    }

    @Bean
    ReactiveTransactionManager transactionManager(ConnectionFactory connectionFactory) {
        return new R2dbcTransactionManager(connectionFactory);
    }

    @Bean
    TransactionalOperator transactionalOperator(ReactiveTransactionManager transactionManager) {
        return TransactionalOperator.create(transactionManager);
    }

    @Bean
    ObservedState observedState() {
        return new ObservedState();
    }

    @Bean
    NodeResilience nodeResilience(MeterRegistry registry) {
        return new NodeResilience(NodeResilience.Settings.defaults()).bindMetrics(registry);
    }

    @Bean
    StorageNodeHttp storageNodeHttp(ControllerProperties properties, NodeResilience resilience) {
        return new StorageNodeHttp(resilience, properties.storageNodeToken());
    }

    @Bean
    ControllerAuth controllerAuth(ControllerProperties properties, Clock clock) {
        return new ControllerAuth(properties.publicKeyValue(), RouteScopes.neon(), clock);
    }

    @Bean
    ControllerAuthFilter controllerAuthFilter(ControllerAuth auth) {
        return new ControllerAuthFilter(auth);
    }

    @Bean
    TenantRateLimitFilter tenantRateLimitFilter(ControllerProperties properties, Clock clock) {
        return new TenantRateLimitFilter(new TenantRateLimiter(properties.tenantRateLimitValue(), clock));
    }

    @Bean
    ControllerMetrics controllerMetrics(MeterRegistry registry, DatabaseClient databaseClient) {
        return new ControllerMetrics(registry, databaseClient);
    }

    @Bean
    NodeService nodeService(
            NodeRepository nodes,
            R2dbcEntityTemplate template,
            StorageNodeHttp http,
            ObservedState observed,
            ControllerMetrics metrics) {
        return new NodeService(nodes, template, http, observed, metrics);
    }

    @Bean
    Placement placement(NodeRepository nodes, TenantShardRepository shards, ObservedState observed) {
        return new Placement(nodes, shards, observed);
    }

    @Bean(destroyMethod = "close")
    Reconciler reconciler(
            TenantShardRepository shards,
            StorageNodeHttp http,
            ObservedState observed,
            Placement placement,
            ControllerMetrics metrics,
            ControllerProperties properties) {
        return new Reconciler(shards, http, observed, placement, metrics, properties.reconcilerConcurrencyValue());
    }

    @Bean(destroyMethod = "close")
    Heartbeater heartbeater(
            NodeService nodes,
            StorageNodeHttp http,
            NodeResilience resilience,
            ObservedState observed,
            Reconciler reconciler,
            ControllerMetrics metrics,
            Clock clock,
            ControllerProperties properties) {
        return new Heartbeater(
                nodes,
                http,
                resilience,
                observed,
                reconciler,
                metrics,
                clock,
                properties.heartbeatIntervalValue(),
                properties.maxOfflineIntervalValue());
    }

    @Bean
    TenantService tenantService(
            TenantRepository tenants,
            TenantShardRepository shards,
            NodeRepository nodes,
            R2dbcEntityTemplate template,
            TransactionalOperator transactions,
            StorageNodeHttp http,
            ObservedState observed,
            ControllerMetrics metrics,
            Reconciler reconciler) {
        return new TenantService(tenants, shards, nodes, template, transactions, http, observed, metrics, reconciler);
    }

    @Bean
    TenantLocations tenantLocations(
            TenantService tenants,
            TenantShardRepository shards,
            NodeRepository nodes,
            Reconciler reconciler,
            ObservedState observed,
            StorageNodeHttp http) {
        return new TenantLocations(tenants, shards, nodes, reconciler, observed, http);
    }

    @Bean
    WalNodeHttp walNodeHttp(ControllerProperties properties) {
        return new WalNodeHttp(WAL_NODE_CALL_TIMEOUT, properties.walNodeToken());
    }

    @Bean
    WalNodeService walNodeService(WalNodeRepository walNodes, R2dbcEntityTemplate template, WalNodeHttp http) {
        return new WalNodeService(walNodes, template, http);
    }

    @Bean
    WalTimelines walTimelines(WalNodeService walNodes, WalNodeRepository rows, WalNodeHttp http) {
        return new WalTimelines(walNodes, rows, http);
    }

    @Bean
    TimelineService timelineService(
            TenantService tenants,
            StorageNodeHttp http,
            R2dbcEntityTemplate template,
            WalNodeService walNodes,
            WalTimelines walTimelines) {
        return new TimelineService(tenants, http, template, walNodes, walTimelines);
    }

    @Bean(destroyMethod = "close")
    StartupReconcile startupReconcile(
            NodeService nodes,
            ObservedState observed,
            Reconciler reconciler,
            Heartbeater heartbeater,
            ControllerMetrics metrics,
            Clock clock) {
        return new StartupReconcile(nodes, observed, reconciler, heartbeater, metrics, clock);
    }

    @Bean
    HttpErrorHandler httpErrorHandler() {
        return new HttpErrorHandler();
    }
}
