package io.xenondb.controller.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.controller.nodes.WalNodeSchedulingPolicy;
import io.xenondb.controller.store.WalNodeRow;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;

/**
 * {@code POST /control/v1/safekeeper/{id}} (Neon's {@code SafekeeperUpsert}): {@code host} and {@code port} are
 * where computes stream WAL to (gRPC), {@code http_port} the management API on the same host. Neon's deprecated
 * {@code active} is accepted and ignored.
 */
public record WalNodeRegistration(
        @JsonProperty("id") Long id,
        @JsonProperty("region_id") String regionId,
        @JsonProperty("version") Long version,
        @JsonProperty("host") String host,
        @JsonProperty("port") Integer port,
        @JsonProperty("active") Boolean active,
        @JsonProperty("http_port") Integer httpPort,
        @JsonProperty("https_port") Integer httpsPort,
        @JsonProperty("availability_zone_id") String availabilityZoneId) {
    public WalNodeRegistration {
        if (id == null) {
            throw invalid("id: missing (expected: the WAL node's id, as in the path)");
        }
        if (id < 0) {
            throw invalid("id: " + id + " (expected: 0 or more)");
        }
        text("region_id", regionId, "a region name, e.g. us-east-1");
        if (version == null || version < 0) {
            throw invalid("version: " + (version == null ? "missing" : version) + " (expected: a number, 0 or more)");
        }
        text("host", host, "the host computes and the controller reach the node at");
        port("port", port, true);
        port("http_port", httpPort, true);
        port("https_port", httpsPort, false);
        text("availability_zone_id", availabilityZoneId, "a zone name, e.g. us-east-1a");
        try {
            ListenAddress.parse((host.contains(":") ? "[" + host + "]" : host) + ":" + port);
        } catch (XenonException e) {
            throw invalid("host: '" + host + "' (expected: a host name or IP address, without port)");
        }
    }

    /** The row of a newly registered node: Activating until it answered. */
    public WalNodeRow toNewRow() {
        return withPolicy(WalNodeSchedulingPolicy.Activating.name());
    }

    /** The row of a registered node with these addresses; its scheduling policy is kept. */
    public WalNodeRow update(WalNodeRow existing) {
        return withPolicy(existing.schedulingPolicy());
    }

    private WalNodeRow withPolicy(String policy) {
        return new WalNodeRow(id, regionId, version, host, port, httpPort, httpsPort, availabilityZoneId, policy);
    }

    private static void text(String field, String value, String expected) {
        if (value == null || value.isBlank()) {
            throw invalid(field + ": missing (expected: " + expected + ")");
        }
        if (value.length() > 255 || value.chars().anyMatch(c -> Character.isWhitespace(c) || c < 0x20)) {
            throw invalid(
                    field + ": '" + shown(value) + "' (expected: " + expected + ", at most 255 characters, no spaces)");
        }
    }

    private static void port(String field, Integer value, boolean required) {
        if (value == null) {
            if (required) {
                throw invalid(field + ": missing (expected: a port, 1-65535)");
            }
            return;
        }
        if (value < 1 || value > 65535) {
            throw invalid(field + ": " + value + " (expected: 1-65535)");
        }
    }

    private static String shown(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "...";
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
