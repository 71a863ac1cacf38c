package io.xenondb.walnode.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.xenondb.walnode.grpc.WalGrpcService;
import io.xenondb.walnode.metrics.WalNodeMetrics;
import io.xenondb.walnode.timeline.InMemoryTimelineStorageFactory;
import io.xenondb.walnode.timeline.TimelineRegistry;
import io.xenondb.walnode.timeline.TimelineStorageFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the WAL node: data directory, storage, timelines, the gRPC service, metrics and endpoints. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WalNodeProperties.class)
public class WalNodeConfiguration {
    @Bean(destroyMethod = "close")
    DataDirectory dataDirectory(WalNodeProperties properties) {
        return DataDirectory.open(properties.datadir(), properties.nodeId());
    }

    @Bean
    WalNodeMetrics walNodeMetrics(MeterRegistry registry) {
        return new WalNodeMetrics(registry);
    }

    /** THE choice of storage for every timeline. */
    @Bean
    TimelineStorageFactory timelineStorageFactory(DataDirectory dataDirectory) {
        return new InMemoryTimelineStorageFactory();
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
}
