package io.xenondb.compute.walproposer;

import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import java.util.Objects;

/** A WAL node of a timeline's set: its id and the address of its gRPC WAL service, written {@code id@host:port}. */
public record WalNodeEndpoint(NodeId id, ListenAddress address) {
    private static final String EXPECTED = "id@host:port, e.g. 1@127.0.0.1:5454";

    public WalNodeEndpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        if (address.port() == 0) {
            throw invalid(id + "@" + address);
        }
    }

    public static WalNodeEndpoint of(long id, String host, int port) {
        return new WalNodeEndpoint(NodeId.of(id), new ListenAddress(host, port));
    }

    /** Parses {@code id@host:port}. */
    public static WalNodeEndpoint parse(String text) {
        if (text == null) {
            throw invalid(null);
        }
        int at = text.indexOf('@');
        if (at <= 0) {
            throw invalid(text);
        }
        try {
            return new WalNodeEndpoint(
                    NodeId.parse(text.substring(0, at)), ListenAddress.parse(text.substring(at + 1)));
        } catch (XenonException e) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "wal node: " + text + " (expected: " + EXPECTED + ")", e);
        }
    }

    @Override
    public String toString() {
        return id + "@" + address;
    }

    private static XenonException invalid(String text) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, "wal node: " + text + " (expected: " + EXPECTED + ")");
    }
}
