package io.xenondb.controller.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.controller.nodes.NodeSchedulingPolicy;
import io.xenondb.controller.store.NodeRow;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;

/**
 * {@code POST /control/v1/node} (Neon's {@code NodeRegisterRequest}). Addresses come as Neon's separate host and
 * port fields or, as in the seed, {@code host:port} in the address field; {@code availability_zone} is accepted
 * for Neon's {@code availability_zone_id}.
 */
public record NodeRegistration(
        @JsonProperty("node_id") Long nodeId,
        @JsonProperty("listen_pg_addr") String listenPgAddr,
        @JsonProperty("listen_pg_port") Integer listenPgPort,
        @JsonProperty("listen_http_addr") String listenHttpAddr,
        @JsonProperty("listen_http_port") Integer listenHttpPort,
        @JsonProperty("listen_https_port") Integer listenHttpsPort,
        @JsonProperty("listen_grpc_addr") String listenGrpcAddr,
        @JsonProperty("listen_grpc_port") Integer listenGrpcPort,
        @JsonProperty("availability_zone_id") String availabilityZoneId,
        @JsonProperty("availability_zone") String availabilityZone,
        @JsonProperty("scheduling") NodeSchedulingPolicy scheduling,
        @JsonProperty("node_ip_addr") String nodeIpAddr) {
    public NodeRegistration {
        if (nodeId == null) {
            throw invalid("node_id: missing (expected: a number)");
        }
        if (nodeId < 0) {
            throw invalid("node_id: " + nodeId + " (expected: 0 or more)");
        }
        if (availabilityZoneId != null && availabilityZone != null && !availabilityZoneId.equals(availabilityZone)) {
            throw invalid("availability_zone: " + availabilityZone + " differs from availability_zone_id "
                    + availabilityZoneId + " (expected: one of them)");
        }
        String zone = availabilityZoneId != null ? availabilityZoneId : availabilityZone;
        if (zone == null || zone.isBlank()) {
            throw invalid("availability_zone_id: missing (expected: a zone name, e.g. us-east-1a)");
        }
        address("listen_pg", listenPgAddr, listenPgPort, true);
        address("listen_http", listenHttpAddr, listenHttpPort, true);
        address("listen_grpc", listenGrpcAddr, listenGrpcPort, false);
        if (listenHttpsPort != null && (listenHttpsPort < 1 || listenHttpsPort > 65535)) {
            throw invalid("listen_https_port: " + listenHttpsPort + " (expected: 1-65535)");
        }
    }

    /** The row to store; scheduling defaults to Active. */
    public NodeRow toRow() {
        ListenAddress pg = address("listen_pg", listenPgAddr, listenPgPort, true);
        ListenAddress http = address("listen_http", listenHttpAddr, listenHttpPort, true);
        ListenAddress grpc = address("listen_grpc", listenGrpcAddr, listenGrpcPort, false);
        return new NodeRow(
                nodeId,
                http.host(),
                http.port(),
                pg.host(),
                pg.port(),
                grpc == null ? null : grpc.host(),
                grpc == null ? null : grpc.port(),
                availabilityZoneId != null ? availabilityZoneId : availabilityZone,
                (scheduling == null ? NodeSchedulingPolicy.Active : scheduling).name());
    }

    private static ListenAddress address(String field, String addr, Integer port, boolean required) {
        if (addr == null || addr.isBlank()) {
            if (required) {
                throw invalid(field + "_addr: missing (expected: a host, or host:port)");
            }
            if (port != null) {
                throw invalid(field + "_port: given without " + field + "_addr");
            }
            return null;
        }
        String text = port == null ? addr : addr + ":" + port;
        try {
            ListenAddress parsed = ListenAddress.parse(text);
            if (parsed.port() == 0) {
                throw invalid(field + ": port 0 (expected: 1-65535)");
            }
            return parsed;
        } catch (XenonException e) {
            throw invalid(field + "_addr: '" + text + "' (expected: host with " + field + "_port, or host:port)");
        }
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
