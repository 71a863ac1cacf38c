package io.xenondb.walnode.config;

import io.xenondb.service.spring.ServiceEndpoints;
import io.xenondb.shared.cli.ListenAddress;

/** The WAL node's addresses (see {@link ServiceEndpoints}), and the gRPC address it publishes to the broker. */
public final class WalNodeEndpoints extends ServiceEndpoints {
    private final WalNodeProperties properties;

    public WalNodeEndpoints(WalNodeProperties properties) {
        super("xenon.wal.WalService", properties.listenGrpc(), properties.listenHttp());
        this.properties = properties;
    }

    /** The gRPC address others should connect to: {@code --advertise-grpc}, else the bound address. */
    public ListenAddress advertisedGrpc() {
        return properties.advertiseGrpc() != null ? properties.advertiseGrpc() : grpc();
    }
}
