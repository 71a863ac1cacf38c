package io.xenondb.controller.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.controller.nodes.WalNodeSchedulingPolicy;
import io.xenondb.controller.store.WalNodeRow;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

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
    private static final Pattern HOST =
            Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*");

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
        if (!validHost(host)) {
            throw invalid("host: '" + shown(host) + "' (expected: a host name or IP address, without port)");
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

    /** A DNS name or IPv4 address (labels of letters, digits, '-' and '_'), or an IPv6 literal. */
    private static boolean validHost(String host) {
        if (host.contains(":")) {
            if (!host.matches("[0-9A-Fa-f:.]+")) {
                return false;
            }
            try {
                // A literal of hex digits, colons and dots is parsed, never looked up.
                return InetAddress.getByName(host) instanceof Inet6Address;
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return HOST.matcher(host).matches();
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
