package io.xenondb.service.spring;

import io.xenondb.shared.cli.ListenAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * The addresses a node actually serves on (port 0 becomes the port the OS chose), learnt from its servers' start
 * events and logged as {@code serving gRPC (<service>) on host:port} and {@code serving HTTP (API, /metrics,
 * /health) on host:port}, the lines whoever started the process waits for.
 */
public class ServiceEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceEndpoints.class);

    private final String grpcService;
    private final ListenAddress listenGrpc;
    private final ListenAddress listenHttp;
    private volatile ListenAddress grpc;
    private volatile ListenAddress http;

    /** @param grpcService the gRPC service served, for the log line (e.g. {@code page_api.PageService}) */
    public ServiceEndpoints(String grpcService, ListenAddress listenGrpc, ListenAddress listenHttp) {
        this.grpcService = grpcService;
        this.listenGrpc = listenGrpc;
        this.listenHttp = listenHttp;
    }

    @EventListener
    void grpcStarted(GrpcServerStartedEvent event) {
        grpc = listenGrpc.withPort(event.getPort());
        LOG.info("serving gRPC ({}) on {}", grpcService, grpc);
    }

    @EventListener
    void httpStarted(WebServerInitializedEvent event) {
        http = listenHttp.withPort(event.getWebServer().getPort());
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
}
