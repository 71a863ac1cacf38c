package io.xenondb.compute.walproposer;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.proto.wal.AppendRequest;
import io.xenondb.proto.wal.AppendResponse;
import io.xenondb.proto.wal.ElectRequest;
import io.xenondb.proto.wal.ElectResponse;
import io.xenondb.proto.wal.GetTimelineStatusRequest;
import io.xenondb.proto.wal.GetTimelineStatusResponse;
import io.xenondb.proto.wal.GreetRequest;
import io.xenondb.proto.wal.GreetResponse;
import io.xenondb.proto.wal.ReadWalRequest;
import io.xenondb.proto.wal.ReadWalResponse;
import io.xenondb.proto.wal.VoteRequest;
import io.xenondb.proto.wal.VoteResponse;
import io.xenondb.proto.wal.WalServiceGrpc;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.GrpcErrors;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.Acceptor;
import io.xenondb.walnode.consensus.message.ReadWalResult;
import io.xenondb.walnode.consensus.message.Refusal;
import io.xenondb.walnode.consensus.message.WalChunk;
import io.xenondb.walnode.consensus.message.WalProtos;
import io.xenondb.walnode.consensus.storage.InMemoryControlStore;
import io.xenondb.walnode.consensus.storage.InMemoryWalStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A WAL node for tests of the proposer's IO layer: a gRPC server in this JVM over the consensus {@link Acceptor}
 * with in-memory stores, which survive {@link #stop()} / {@link #start()} like files survive a restart
 * ({@link #crash} also loses unflushed WAL). Every append is fsynced and acknowledged at once (no group commit).
 * Test code only: the real WAL node is wal-node's.
 */
final class TestWalNode implements AutoCloseable {
    private static final int READ_CHUNK = 64 * 1024;

    /** One timeline's stores and acceptor. */
    static final class Timeline {
        final InMemoryWalStore wal;
        final InMemoryControlStore control = new InMemoryControlStore();
        Acceptor acceptor;

        Timeline(Lsn start) {
            this.wal = new InMemoryWalStore(start);
        }
    }

    final NodeId id;
    final int port;
    private final Map<TenantTimelineId, Timeline> timelines = new HashMap<>();
    private Server server;

    TestWalNode(long id) {
        this.id = NodeId.of(id);
        this.port = FreePorts.allocate();
    }

    WalNodeEndpoint endpoint() {
        return WalNodeEndpoint.of(id.value(), "127.0.0.1", port);
    }

    synchronized TestWalNode start() {
        if (server != null) {
            return this;
        }
        // Acceptors are reopened from their stores, as after a process restart.
        timelines.values().forEach(t -> t.acceptor = Acceptor.open(id, t.wal, t.control));
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                    .addService(new Service())
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Stops serving; open streams are cut. */
    synchronized void stop() {
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    /** Stops and loses unflushed WAL (none here: every append is flushed before it is acknowledged). */
    synchronized void crash(Random random) {
        stop();
        timelines.values().forEach(t -> t.wal.crash(random));
    }

    synchronized Optional<Timeline> timeline(TenantTimelineId timeline) {
        return Optional.ofNullable(timelines.get(timeline));
    }

    /** The node's fsynced WAL of {@code timeline} from its start; empty if it does not have the timeline. */
    synchronized com.google.protobuf.ByteString walBytes(TenantTimelineId timeline) {
        Timeline t = timelines.get(timeline);
        if (t == null) {
            return com.google.protobuf.ByteString.EMPTY;
        }
        return t.wal.read(t.wal.startLsn(), (int) t.wal.flushLsn().minus(t.wal.startLsn()));
    }

    synchronized Lsn flushLsn(TenantTimelineId timeline) {
        Timeline t = timelines.get(timeline);
        return t == null ? Lsn.INVALID : t.wal.flushLsn();
    }

    synchronized Lsn commitLsn(TenantTimelineId timeline) {
        Timeline t = timelines.get(timeline);
        return t == null || t.acceptor == null ? Lsn.INVALID : t.acceptor.commitLsn();
    }

    synchronized io.xenondb.shared.id.Term term(TenantTimelineId timeline) {
        Timeline t = timelines.get(timeline);
        return t == null
                ? io.xenondb.shared.id.Term.ZERO
                : t.control.load().orElseThrow().term();
    }

    /** Creates a timeline whose WAL starts at {@code start}, as a greeting with creation allowed would. */
    synchronized void createTimeline(TenantTimelineId timeline, Lsn start) {
        Timeline t = new Timeline(start);
        t.acceptor = Acceptor.create(
                id,
                t.wal,
                t.control,
                new io.xenondb.walnode.consensus.message.GreetRequest(
                        timeline,
                        "test",
                        new io.xenondb.walnode.consensus.message.ServerInfo(170_000, 0, 16 * 1024 * 1024),
                        true,
                        start));
        timelines.put(timeline, t);
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized Acceptor acceptor(TenantTimelineId timeline) {
        Timeline t = timelines.get(timeline);
        if (t == null) {
            throw new XenonException(ErrorCode.NOT_FOUND, "timeline " + timeline + " on test node " + id);
        }
        return t.acceptor;
    }

    private <T> void unary(StreamObserver<T> observer, Supplier<T> call) {
        T response;
        try {
            synchronized (this) {
                response = call.get();
            }
        } catch (RuntimeException e) {
            observer.onError(GrpcErrors.toStatus(e));
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }

    private final class Service extends WalServiceGrpc.WalServiceImplBase {
        @Override
        public void greet(GreetRequest request, StreamObserver<GreetResponse> observer) {
            unary(observer, () -> {
                var greet = WalProtos.fromProto(request);
                Timeline t = timelines.get(greet.timeline());
                if (t == null) {
                    t = new Timeline(greet.timelineStartLsn().isValid() ? greet.timelineStartLsn() : Lsn.of(1));
                    t.acceptor = Acceptor.create(id, t.wal, t.control, greet);
                    timelines.put(greet.timeline(), t);
                }
                return WalProtos.toProto(t.acceptor.greet(greet));
            });
        }

        @Override
        public void vote(VoteRequest request, StreamObserver<VoteResponse> observer) {
            unary(observer, () -> {
                var vote = WalProtos.fromProto(request);
                return WalProtos.toProto(acceptor(vote.timeline()).vote(vote));
            });
        }

        @Override
        public void elect(ElectRequest request, StreamObserver<ElectResponse> observer) {
            unary(observer, () -> {
                var elect = WalProtos.fromProto(request);
                return WalProtos.toProto(acceptor(elect.timeline()).elect(elect));
            });
        }

        @Override
        public void getTimelineStatus(
                GetTimelineStatusRequest request, StreamObserver<GetTimelineStatusResponse> observer) {
            unary(
                    observer,
                    () -> WalProtos.toProto(acceptor(TenantTimelineId.fromProto(request.getTenantTimelineId()))
                                    .status())
                            .build());
        }

        @Override
        public StreamObserver<AppendRequest> append(StreamObserver<AppendResponse> observer) {
            return new StreamObserver<>() {
                private boolean ended;

                @Override
                public void onNext(AppendRequest request) {
                    if (ended) {
                        return;
                    }
                    AppendResponse response;
                    boolean refused;
                    try {
                        synchronized (TestWalNode.this) {
                            var append = WalProtos.fromProto(request);
                            Acceptor acceptor = acceptor(append.timeline());
                            var refusal = acceptor.append(append);
                            refused = refusal.isPresent();
                            response = WalProtos.toProto(refusal.orElseGet(acceptor::flush));
                        }
                    } catch (RuntimeException e) {
                        ended = true;
                        observer.onError(GrpcErrors.toStatus(e));
                        return;
                    }
                    observer.onNext(response);
                    if (refused) {
                        ended = true;
                        observer.onCompleted();
                    }
                }

                @Override
                public void onError(Throwable failure) {
                    ended = true;
                }

                @Override
                public void onCompleted() {
                    if (!ended) {
                        ended = true;
                        observer.onCompleted();
                    }
                }
            };
        }

        @Override
        public void readWal(ReadWalRequest request, StreamObserver<ReadWalResponse> observer) {
            ServerCallStreamObserver<ReadWalResponse> call = (ServerCallStreamObserver<ReadWalResponse>) observer;
            try {
                var read = WalProtos.fromProto(request);
                Lsn position = read.startLsn();
                while (!call.isCancelled()) {
                    ReadWalResult result;
                    synchronized (TestWalNode.this) {
                        result = acceptor(read.timeline())
                                .readWal(
                                        new io.xenondb.walnode.consensus.message.ReadWalRequest(
                                                read.timeline(), position, read.endLsn(), read.recoveryTerm()),
                                        READ_CHUNK);
                    }
                    observer.onNext(WalProtos.toProto(result));
                    if (result instanceof Refusal) {
                        break;
                    }
                    WalChunk chunk = (WalChunk) result;
                    position = chunk.endLsn();
                    if (chunk.walData().isEmpty() || (read.endLsn().isValid() && !position.isBefore(read.endLsn()))) {
                        break;
                    }
                }
                observer.onCompleted();
            } catch (RuntimeException e) {
                observer.onError(GrpcErrors.toStatus(e));
            }
        }
    }
}
