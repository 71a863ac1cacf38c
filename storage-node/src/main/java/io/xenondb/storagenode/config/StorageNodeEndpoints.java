package io.xenondb.storagenode.config;

import io.xenondb.shared.cli.ListenAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * The addresses the storage node actually serves on (port 0 becomes the port the OS chose), logged as
 * {@code serving gRPC ... on host:port} / {@code serving HTTP ... on host:port} for whoever started the process.
 */
public final class StorageNodeEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(StorageNodeEndpoints.class);

    private final StorageNodeProperties properties;
    private volatile ListenAddress grpc;
    private volatile ListenAddress http;

    public StorageNodeEndpoints(StorageNodeProperties properties) {
        this.properties = properties;
    }

    @EventListener
    void grpcStarted(GrpcServerStartedEvent event) {
        grpc = properties.listenGrpc().withPort(event.getPort());
        LOG.info("serving gRPC (page_api.PageService) on {}", grpc);
    }

    @EventListener
    void httpStarted(WebServerInitializedEvent event) {
        http = properties.listenHttp().withPort(event.getWebServer().getPort());
        LOG.info("serving HTTP (API, /metrics, /health) on {}", http);
    }

    public ListenAddress grpc() {
        return grpc;
    }

    public ListenAddress http() {
        return http;
    }
}
