package io.xenondb.walnode;

import com.google.protobuf.Empty;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.xenondb.proto.broker.ReactorBrokerServiceGrpc;
import io.xenondb.proto.broker.SafekeeperTimelineInfo;
import io.xenondb.shared.cli.ListenAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A storage broker reduced to what a WAL node uses (PublishSafekeeperInfo), on a real gRPC server: it records
 * what it receives. The real broker is its own Spring application whose auto-configuration would clash with the
 * WAL node's in one JVM; the wire contract is the same proto.
 */
final class FakeBroker extends ReactorBrokerServiceGrpc.BrokerServiceImplBase implements AutoCloseable {
    private final BlockingQueue<SafekeeperTimelineInfo> received = new LinkedBlockingQueue<>();
    private final Server server;

    FakeBroker(int port) throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(this)
                .permitKeepAliveTime(1, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .build()
                .start();
    }

    ListenAddress address() {
        return new ListenAddress("127.0.0.1", server.getPort());
    }

    @Override
    public Mono<Empty> publishSafekeeperInfo(Flux<SafekeeperTimelineInfo> request) {
        return request.doOnNext(received::add).then(Mono.just(Empty.getDefaultInstance()));
    }

    /** The first message received from now on that matches, within {@code timeout}. */
    SafekeeperTimelineInfo await(Predicate<SafekeeperTimelineInfo> matching, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            SafekeeperTimelineInfo info = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
            if (info == null) {
                throw new AssertionError("no matching SafekeeperTimelineInfo within " + timeout);
            }
            if (matching.test(info)) {
                return info;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
