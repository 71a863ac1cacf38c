package io.xenondb.controller.store;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A registered WAL node (Neon's {@code safekeepers} row): where computes reach it ({@code host}:{@code port}, gRPC),
 * its management API ({@code http_port}) and whether new timelines may be placed on it.
 */
@Table("wal_nodes")
public record WalNodeRow(
        @Id Long id,
        String regionId,
        long version,
        String host,
        int port,
        int httpPort,
        Integer httpsPort,
        String availabilityZoneId,
        String schedulingPolicy) {
    /** {@code http://host:http_port} of its management API. */
    public String httpBase() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + httpPort;
    }

    public WalNodeRow withSchedulingPolicy(String policy) {
        return new WalNodeRow(id, regionId, version, host, port, httpPort, httpsPort, availabilityZoneId, policy);
    }
}
