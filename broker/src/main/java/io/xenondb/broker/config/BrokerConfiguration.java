package io.xenondb.broker.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.xenondb.broker.grpc.BrokerGrpcService;
import io.xenondb.broker.grpc.GrpcServer;
import io.xenondb.broker.grpc.PeerInterceptor;
import io.xenondb.broker.http.AdminHttpServer;
import io.xenondb.broker.hub.BrokerHub;
import io.xenondb.broker.metrics.BrokerMetrics;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Wires the broker: metrics, hub, the gRPC service and server, and the HTTP endpoint. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BrokerProperties.class)
public class BrokerConfiguration {
    @Bean
    BrokerMetrics brokerMetrics(MeterRegistry registry) {
        return new BrokerMetrics(registry);
    }

    /** Threads that drain subscribers' buffers into their streams; publishers never do that work. */
    @Bean(destroyMethod = "dispose")
    Scheduler brokerDelivery() {
        return Schedulers.newParallel(
                "broker-delivery", Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    @Bean
    BrokerHub brokerHub(BrokerProperties properties, Scheduler brokerDelivery, BrokerMetrics metrics) {
        return new BrokerHub(properties.timelineChanSize(), properties.allKeysChanSize(), brokerDelivery, metrics);
    }

    @Bean
    BrokerGrpcService brokerGrpcService(BrokerHub hub, BrokerMetrics metrics) {
        return new BrokerGrpcService(hub, metrics);
    }

    @Bean
    GrpcServer brokerGrpcServer(BrokerProperties properties, BrokerGrpcService service, BrokerHub hub) {
        return new GrpcServer(
                "broker",
                properties.listenAddr(),
                List.of(service),
                List.of(new PeerInterceptor()),
                properties.http2KeepaliveInterval(),
                properties.shutdownGrace(),
                hub::close);
    }

    @Bean
    AdminHttpServer brokerHttpServer(
            BrokerProperties properties, PrometheusMeterRegistry prometheus, HealthEndpoint health) {
        return new AdminHttpServer("broker", properties.listenHttpAddr(), prometheus, health);
    }
}
