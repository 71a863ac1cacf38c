package io.xenondb.compute.walproposer;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.xenondb.proto.wal.AppendResponse;
import io.xenondb.proto.wal.WalServiceGrpc;
import io.xenondb.shared.client.WalNodeChannels;
import io.xenondb.shared.id.NodeId;
import io.xenondb.walnode.consensus.Proposer;
import io.xenondb.walnode.consensus.ProposerEffect;
import io.xenondb.walnode.consensus.ProposerEffect.ReadFromNode;
import io.xenondb.walnode.consensus.message.AppendRequest;
import io.xenondb.walnode.consensus.message.ElectRequest;
import io.xenondb.walnode.consensus.message.GreetRequest;
import io.xenondb.walnode.consensus.message.ProposerMessage;
import io.xenondb.walnode.consensus.message.VoteRequest;
import io.xenondb.walnode.consensus.message.WalProtos;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proposer's connection to one WAL node: one gRPC channel, and on it a session at a time — the greeting,
 * votes and Elect as unary calls, one long-lived Append stream per term, and recovery reads. A session ends
 * when any of its calls fails; the proposer then hears {@code onDisconnected} and a new session starts after a
 * backoff. Answers of an ended session are dropped. Every method runs on the loop thread; gRPC callbacks only
 * enqueue onto it.
 */
final class WalNodeLink {
    private static final Logger LOG = LoggerFactory.getLogger(WalNodeLink.class);

    private final WalNodeEndpoint endpoint;
    private final NodeId id;
    private final ProposerLoop loop;
    private final ProposerSettings settings;
    private final ProposerMetrics metrics;
    private final ManagedChannel channel;
    private final WalServiceGrpc.WalServiceStub stub;
    private long session;
    private long sessions;
    private Context.CancellableContext sessionContext;
    private ClientCallStreamObserver<io.xenondb.proto.wal.AppendRequest> append;
    private long appendStreams;
    private boolean appendRefused;
    private Duration backoff;
    private boolean reconnectPending;
    private boolean greetedSinceDrop = true;
    private boolean closed;

    WalNodeLink(WalNodeEndpoint endpoint, ProposerLoop loop, ProposerSettings settings, ProposerMetrics metrics) {
        this.endpoint = endpoint;
        this.id = endpoint.id();
        this.loop = loop;
        this.settings = settings;
        this.metrics = metrics;
        this.backoff = settings.reconnectMin();
        // Keepalive pings notice a dead node or a silently dropped connection within seconds.
        this.channel = WalNodeChannels.open(endpoint.address());
        this.stub = WalServiceGrpc.newStub(channel);
    }

    /** Starts a new session: the proposer greets the node. */
    void connect() {
        reconnectPending = false;
        if (closed || session != 0) {
            return;
        }
        session = ++sessions;
        if (sessions > 1) {
            metrics.reconnected(id);
        }
        sessionContext = Context.ROOT.withCancellation();
        // A node that was down may be back: do not wait out the channel's own (long) reconnect backoff.
        channel.resetConnectBackoff();
        loop.event(id, p -> p.onConnected(id));
    }

    void send(ProposerMessage message) {
        if (session == 0) {
            // The proposer learned (or is about to learn) of the loss through onDisconnected.
            return;
        }
        long s = session;
        inSession(() -> {
            switch (message) {
                case GreetRequest greet ->
                    unaryStub().greet(WalProtos.toProto(greet), unary(s, "greet", (p, r) -> {
                        backoff = settings.reconnectMin();
                        if (!greetedSinceDrop) {
                            LOG.info("node {} is back", endpoint);
                            greetedSinceDrop = true;
                        }
                        return p.onGreetResponse(WalProtos.fromProto(r));
                    }));
                case VoteRequest vote ->
                    unaryStub()
                            .vote(
                                    WalProtos.toProto(vote),
                                    unary(s, "vote", (p, r) -> p.onVoteResponse(WalProtos.fromProto(r))));
                case ElectRequest elect ->
                    unaryStub()
                            .elect(
                                    WalProtos.toProto(elect),
                                    unary(s, "elect", (p, r) -> p.onElectResponse(WalProtos.fromProto(r))));
                case AppendRequest request -> appendStream(s).onNext(WalProtos.toProto(request));
            }
        });
    }

    /** A recovery read from this node (the source) for another node. */
    void read(ReadFromNode read) {
        long s = session;
        if (s == 0) {
            loop.execute(() -> loop.event(
                    null, p -> p.onWalReadFailed(read.forNode(), read.request().startLsn(), Optional.empty())));
            return;
        }
        RecoveryRead call = new RecoveryRead(
                read.request(),
                (chunk, refusal) -> loop.execute(() -> {
                    if (session != s) {
                        return;
                    }
                    if (chunk != null) {
                        loop.event(null, p -> p.onWalRead(read.forNode(), chunk));
                    } else {
                        loop.event(
                                null,
                                p -> p.onWalReadFailed(
                                        read.forNode(), read.request().startLsn(), refusal));
                    }
                }));
        inSession(() -> unaryStub().readWal(WalProtos.toProto(read.request()), call));
    }

    /** Ends the current session (if any), tells the proposer, and reconnects after the backoff. */
    void drop(String reason) {
        if (session == 0) {
            return;
        }
        if (greetedSinceDrop) {
            LOG.info("node {}: session {} ended: {}", endpoint, session, reason);
        } else {
            LOG.debug("node {}: session {} ended: {}", endpoint, session, reason);
        }
        greetedSinceDrop = false;
        endSession();
        loop.event(id, p -> p.onDisconnected(id));
        if (!closed && !reconnectPending) {
            reconnectPending = true;
            Duration delay = backoff;
            backoff = backoff.multipliedBy(2).compareTo(settings.reconnectMax()) > 0
                    ? settings.reconnectMax()
                    : backoff.multipliedBy(2);
            loop.schedule(delay, this::connect);
        }
    }

    void close() {
        closed = true;
        endSession();
        channel.shutdownNow();
    }

    private void endSession() {
        session = 0;
        append = null;
        appendRefused = false;
        if (sessionContext != null) {
            // Cancels every call of the session: the Append stream and reads under way.
            sessionContext.cancel(null);
            sessionContext = null;
        }
    }

    private void inSession(Runnable call) {
        Context previous = sessionContext.attach();
        try {
            call.run();
        } finally {
            sessionContext.detach(previous);
        }
    }

    private WalServiceGrpc.WalServiceStub unaryStub() {
        return stub.withDeadlineAfter(settings.rpcTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private ClientCallStreamObserver<io.xenondb.proto.wal.AppendRequest> appendStream(long s) {
        if (append == null || appendRefused) {
            // After a refusal the node ends the stream; the next term's (or resync's) WAL goes on a new one.
            long streamId = ++appendStreams;
            appendRefused = false;
            append = (ClientCallStreamObserver<io.xenondb.proto.wal.AppendRequest>) stub.append(
                    new StreamObserver<AppendResponse>() {
                        @Override
                        public void onNext(AppendResponse response) {
                            loop.execute(() -> {
                                if (isCurrent(s, streamId)) {
                                    if (response.hasRefusal()) {
                                        appendRefused = true;
                                    }
                                    loop.event(id, p -> p.onAppendResponse(WalProtos.fromProto(response)));
                                }
                            });
                        }

                        @Override
                        public void onError(Throwable failure) {
                            loop.execute(() -> {
                                if (isCurrent(s, streamId)) {
                                    drop("append stream failed: " + describe(failure));
                                }
                            });
                        }

                        @Override
                        public void onCompleted() {
                            loop.execute(() -> {
                                if (isCurrent(s, streamId)) {
                                    if (appendRefused) {
                                        append = null;
                                    } else {
                                        drop("the node ended the append stream");
                                    }
                                }
                            });
                        }
                    });
        }
        return append;
    }

    private boolean isCurrent(long s, long streamId) {
        return session == s && appendStreams == streamId && append != null;
    }

    private <R> StreamObserver<R> unary(long s, String what, BiFunction<Proposer, R, List<ProposerEffect>> handler) {
        return new StreamObserver<>() {
            @Override
            public void onNext(R response) {
                loop.execute(() -> {
                    if (session == s) {
                        loop.event(id, p -> handler.apply(p, response));
                    }
                });
            }

            @Override
            public void onError(Throwable failure) {
                loop.execute(() -> {
                    if (session == s) {
                        drop(what + " failed: " + describe(failure));
                    }
                });
            }

            @Override
            public void onCompleted() {}
        };
    }

    private static String describe(Throwable failure) {
        Status status = Status.fromThrowable(failure);
        return status.getCode() + (status.getDescription() == null ? "" : " " + status.getDescription());
    }
}
