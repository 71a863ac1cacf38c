package io.xenondb.walnode.config;

import io.xenondb.shared.cli.ListenAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * The addresses the WAL node actually serves on (port 0 becomes the port the OS chose), learnt from the servers'
 * start events, logged as {@code serving gRPC on host:port} / {@code serving HTTP on host:port} for whoever
 * started the process, and published to the broker.
 */
public final class WalNodeEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(WalNodeEndpoints.class);

    private final WalNodeProperties properties;
    private volatile ListenAddress grpc;
    private volatile ListenAddress http;

    public WalNodeEndpoints(WalNodeProperties properties) {
        this.properties = properties;
    }

    @EventListener
    void grpcStarted(GrpcServerStartedEvent event) {
        grpc = properties.listenGrpc().withPort(event.getPort());
        LOG.info("serving gRPC (xenon.wal.WalService) on {}", grpc);
    }

    @EventListener
    void httpStarted(WebServerInitializedEvent event) {
        http = properties.listenHttp().withPort(event.getWebServer().getPort());
        LOG.info("serving HTTP (API, /metrics, /health) on {}", http);
    }

    /** Where gRPC is served; null before the server started. */
    public ListenAddress grpc() {
        return grpc;
    }

    /** Where HTTP is served; null before the server started. */
    public ListenAddress http() {
        return http;
    }

    /** The gRPC address others should connect to: {@code --advertise-grpc}, else the bound address. */
    public ListenAddress advertisedGrpc() {
        return properties.advertiseGrpc() != null ? properties.advertiseGrpc() : grpc;
    }
}
