package io.xenondb.shared.cli;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where a service listens: {@code host:port} as in Neon's {@code --listen-addr 127.0.0.1:50051}; an IPv6 host is
 * written in brackets ({@code [::1]:50051}). Port 0 asks the OS for a free port (tests use it).
 */
public record ListenAddress(String host, int port) {
    private static final String EXPECTED = "host:port with port 0..65535, e.g. 127.0.0.1:50051 or [::1]:50051";

    public ListenAddress {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()
                || host.contains("[")
                || host.contains("]")
                || host.chars().anyMatch(Character::isWhitespace)) {
            throw invalid(host + ":" + port);
        }
        if (port < 0 || port > 65_535) {
            throw invalid(host + ":" + port);
        }
    }

    /** Parses {@code host:port} or {@code [ipv6]:port}. */
    public static ListenAddress parse(String text) {
        if (text == null) {
            throw invalid(null);
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw invalid(text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]") && host.length() > 2) {
            host = host.substring(1, host.length() - 1);
            if (!host.contains(":")) {
                throw invalid(text);
            }
        } else if (host.contains(":") || host.contains("[") || host.contains("]")) {
            throw invalid(text);
        }
        String portText = text.substring(colon + 1);
        if (portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(text);
        }
        int port = Integer.parseInt(portText);
        if (port > 65_535) {
            throw invalid(text);
        }
        return new ListenAddress(host, port);
    }

    /**
     * Parses a plain-HTTP endpoint flag such as Neon's {@code --broker-endpoint}: {@code http://host:port} or
     * {@code host:port}, with a real port; {@code https://} is refused (no TLS).
     *
     * @throws XenonException INVALID_ARGUMENT naming {@code flag} and the text
     */
    public static ListenAddress parseHttpEndpoint(String flag, String endpoint) {
        String text = endpoint == null ? "" : endpoint.strip();
        if (text.startsWith("https://")) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    flag + ": " + text + " (expected: http://host:port; TLS is not supported)");
        }
        if (text.startsWith("http://")) {
            text = text.substring("http://".length());
        }
        if (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        ListenAddress address;
        try {
            address = parse(text);
        } catch (XenonException e) {
            address = null;
        }
        if (address == null || address.port() == 0) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    flag + ": " + endpoint + " (expected: http://host:port with a real port)");
        }
        return address;
    }

    /** The same as {@link #parse}; the name Spring's conversion looks for when binding configuration. */
    public static ListenAddress valueOf(String text) {
        return parse(text);
    }

    /** The same host with another port (e.g. the one the OS picked for port 0). */
    public ListenAddress withPort(int newPort) {
        return new ListenAddress(host, newPort);
    }

    /** The socket address to bind; resolves the host name now. */
    public InetSocketAddress toSocketAddress() {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "address: " + this + " (expected: a host name that resolves)");
        }
        return address;
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static XenonException invalid(String text) {
        String shown = text == null ? "null" : text.length() <= 80 ? text : text.substring(0, 80) + "...";
        return new XenonException(ErrorCode.INVALID_ARGUMENT, "address: " + shown + " (expected: " + EXPECTED + ")");
    }
}
