package io.xenondb.broker.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A grpc-netty server run by Spring: binds on start, and on stop refuses new calls, lets the application end its
 * open streams ({@code onShutdown}), waits up to the grace period and then cuts what is left.
 */
public final class GrpcServer implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcServer.class);
    /** How long after a keepalive ping an unanswered connection is considered dead. */
    private static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(20);

    private enum State {
        NEW,
        RUNNING,
        STOPPED,
        FAILED
    }

    private final String name;
    private final ListenAddress address;
    private final List<BindableService> services;
    private final List<ServerInterceptor> interceptors;
    private final Duration keepaliveInterval;
    private final Duration shutdownGrace;
    private final Runnable onShutdown;

    private State state = State.NEW;
    private Server server;

    public GrpcServer(
            String name,
            ListenAddress address,
            List<BindableService> services,
            List<ServerInterceptor> interceptors,
            Duration keepaliveInterval,
            Duration shutdownGrace,
            Runnable onShutdown) {
        this.name = name;
        this.address = address;
        this.services = List.copyOf(services);
        this.interceptors = List.copyOf(interceptors);
        this.keepaliveInterval = keepaliveInterval;
        this.shutdownGrace = shutdownGrace;
        this.onShutdown = onShutdown;
    }

    @Override
    public synchronized void start() {
        if (state != State.NEW) {
            throw new IllegalStateException(name + " gRPC server: start in state " + state);
        }
        NettyServerBuilder builder = NettyServerBuilder.forAddress(address.toSocketAddress())
                .keepAliveTime(keepaliveInterval.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                // Clients ping as often as we do (Neon's use the same interval); grpc-java's default would
                // answer such pings with GOAWAY after a while.
                .permitKeepAliveTime(Math.min(keepaliveInterval.toMillis(), 1_000), TimeUnit.MILLISECONDS)
                .permitKeepAliveWithoutCalls(true);
        services.forEach(service -> builder.addService(ServerInterceptors.intercept(service, interceptors)));
        try {
            server = builder.build().start();
        } catch (IOException e) {
            state = State.FAILED;
            throw new XenonException(
                    ErrorCode.UNAVAILABLE,
                    name + " gRPC: cannot listen on " + address + " (" + rootMessage(e) + ")",
                    e);
        }
        state = State.RUNNING;
        LOG.info("{} serving gRPC on {}", name, boundAddress());
    }

    @Override
    public synchronized void stop() {
        if (state != State.RUNNING) {
            return;
        }
        state = State.STOPPED;
        server.shutdown();
        onShutdown.run();
        try {
            if (!server.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.info("{} gRPC calls still open after {}, cancelling them", name, shutdownGrace);
                server.shutdownNow().awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        LOG.info("{} gRPC server stopped", name);
    }

    @Override
    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /** The address actually bound: with port 0 in the configuration, the port the OS picked. */
    public synchronized ListenAddress boundAddress() {
        if (server == null) {
            throw new IllegalStateException(name + " gRPC server is not started");
        }
        return address.withPort(((InetSocketAddress) server.getListenSockets().getFirst()).getPort());
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
