package io.xenondb.controller.store;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A registered storage node: where it serves and whether new work may be placed on it. */
@Table("nodes")
public record NodeRow(
        @Id Long nodeId,
        String listenHttpAddr,
        int listenHttpPort,
        String listenPgAddr,
        int listenPgPort,
        String listenGrpcAddr,
        Integer listenGrpcPort,
        String availabilityZoneId,
        String schedulingPolicy) {
    /** {@code http://host:port} of its management API. */
    public String httpBase() {
        return "http://" + (listenHttpAddr.contains(":") ? "[" + listenHttpAddr + "]" : listenHttpAddr) + ":"
                + listenHttpPort;
    }

    public NodeRow withSchedulingPolicy(String policy) {
        return new NodeRow(
                nodeId,
                listenHttpAddr,
                listenHttpPort,
                listenPgAddr,
                listenPgPort,
                listenGrpcAddr,
                listenGrpcPort,
                availabilityZoneId,
                policy);
    }
}
