package io.xenondb.storagenode.config;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.storagenode.tenant.TenantManager;
import io.xenondb.storagenode.upcall.ControlPlaneClient;
import io.xenondb.storagenode.upcall.ControlPlaneStart;
import io.xenondb.storagenode.upcall.ReAttach;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** With {@code --control-plane-api}: the upcall client, and tenants loaded through re-attach at start. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ControlPlaneProperties.class)
public class ControlPlaneConfiguration {
    /** One upcall must be answered within this. */
    static final Duration UPCALL_TIMEOUT = Duration.ofSeconds(30);

    @Bean
    @ConditionalOnProperty("control-plane-api")
    ControlPlaneClient controlPlaneClient(ControlPlaneProperties controlPlane) {
        return new ControlPlaneClient(controlPlane.upcallBase().orElseThrow(), controlPlane.token(), UPCALL_TIMEOUT);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("control-plane-api")
    ControlPlaneStart controlPlaneStart(
            ControlPlaneClient client,
            ControlPlaneProperties controlPlane,
            StorageNodeProperties properties,
            TenantManager tenants) {
        long nodeId = properties.nodeId().value();
        if (controlPlane.zone().isPresent()
                && (properties.listenHttp().port() == 0
                        || properties.listenGrpc().port() == 0)) {
            // Registration happens before the servers bind: a port the system picks later cannot be sent.
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "listen-http/listen-grpc: port 0 (expected: fixed ports when the node registers itself with"
                            + " --availability-zone)");
        }
        return new ControlPlaneStart(
                new ReAttach(
                        client,
                        nodeId,
                        controlPlane
                                .zone()
                                .map(zone -> ReAttach.registration(
                                        nodeId, properties.listenHttp(), properties.listenGrpc(), zone))
                                .orElse(null),
                        ReAttach.Backoff.defaults()),
                tenants,
                properties.workdirPath());
    }
}
