package io.xenondb.walnode.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.xenondb.service.http.HttpErrorHandler;
import io.xenondb.walnode.broker.BrokerPublisher;
import io.xenondb.walnode.grpc.WalGrpcService;
import io.xenondb.walnode.metrics.WalNodeMetrics;
import io.xenondb.walnode.timeline.FileTimelineStorageFactory;
import io.xenondb.walnode.timeline.TimelineRegistry;
import io.xenondb.walnode.timeline.TimelineStorageFactory;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the WAL node: data directory, storage, timelines, the gRPC service, metrics and endpoints. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WalNodeProperties.class)
public class WalNodeConfiguration {
    /** Neon's safekeepers push every second. */
    static final Duration BROKER_PUSH_INTERVAL = Duration.ofSeconds(1);

    @Bean(destroyMethod = "close")
    DataDirectory dataDirectory(WalNodeProperties properties) {
        return DataDirectory.open(properties.dataDirectory(), properties.nodeId());
    }

    @Bean
    WalNodeMetrics walNodeMetrics(MeterRegistry registry) {
        return new WalNodeMetrics(registry);
    }

    /** Threads that zero-fill the next WAL segment of a timeline ahead of need. */
    @Bean(destroyMethod = "close")
    ExecutorService segmentPreallocator() {
        return Executors.newVirtualThreadPerTaskExecutor();
    }

    /** THE choice of storage for every timeline: files under the data directory. */
    @Bean
    TimelineStorageFactory timelineStorageFactory(DataDirectory dataDirectory, ExecutorService segmentPreallocator) {
        return new FileTimelineStorageFactory(dataDirectory.path(), segmentPreallocator);
    }

    @Bean
    TimelineRegistry timelineRegistry(
            DataDirectory dataDirectory,
            TimelineStorageFactory storage,
            WalNodeMetrics metrics,
            WalNodeProperties properties) {
        return new TimelineRegistry(dataDirectory.nodeId(), storage, metrics, properties.controlFileSaveInterval());
    }

    @Bean
    WalGrpcService walGrpcService(TimelineRegistry registry, WalNodeMetrics metrics) {
        return new WalGrpcService(registry, metrics);
    }

    @Bean
    WalNodeEndpoints walNodeEndpoints(WalNodeProperties properties) {
        return new WalNodeEndpoints(properties);
    }

    @Bean
    HttpErrorHandler httpErrorHandler() {
        return new HttpErrorHandler();
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "disable-periodic-broker-push", havingValue = false, matchIfMissing = true)
    BrokerPublisher brokerPublisher(
            WalNodeProperties properties,
            DataDirectory dataDirectory,
            TimelineRegistry registry,
            WalNodeEndpoints endpoints,
            WalNodeMetrics metrics) {
        return new BrokerPublisher(
                dataDirectory.nodeId(),
                registry,
                endpoints,
                metrics,
                properties.brokerAddress(),
                properties.brokerKeepaliveInterval(),
                BROKER_PUSH_INTERVAL,
                properties.zone());
    }
}
