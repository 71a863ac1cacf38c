package io.xenondb.walnode;

import static io.xenondb.walnode.WalServiceProtos.append;
import static io.xenondb.walnode.WalServiceProtos.bytes;
import static io.xenondb.walnode.WalServiceProtos.elect;
import static io.xenondb.walnode.WalServiceProtos.greet;
import static io.xenondb.walnode.WalServiceProtos.read;
import static io.xenondb.walnode.WalServiceProtos.vote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.xenondb.proto.wal.AppendRequest;
import io.xenondb.proto.wal.AppendResponse;
import io.xenondb.proto.wal.GetTimelineStatusRequest;
import io.xenondb.proto.wal.ReactorWalServiceGrpc;
import io.xenondb.proto.wal.ReactorWalServiceGrpc.ReactorWalServiceStub;
import io.xenondb.proto.wal.ReadWalResponse;
import io.xenondb.proto.wal.RefusalReason;
import io.xenondb.proto.wal.VoteResponse;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.client.WalNodeChannels;
import io.xenondb.shared.error.GrpcErrors;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.walnode.config.WalNodeEndpoints;
import io.xenondb.walnode.metrics.WalNodeMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** One WAL node in-process for the class; every test uses its own timeline, through real gRPC and HTTP. */
@Tag("wal-service")
class WalNodeIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long START = 0x2000000L; // a segment start, as a new timeline's WAL is

    private static ConfigurableApplicationContext node;
    private static ManagedChannel channel;
    private static ReactorWalServiceStub wal;

    private final Random random = new Random(42);

    @BeforeAll
    static void startNode() throws Exception {
        Path datadir = Files.createTempDirectory(Path.of("target"), "wal-node-it-");
        node = WalNodeApplication.start(
                "--id",
                "7",
                "-D",
                datadir.toString(),
                "--listen-grpc",
                "127.0.0.1:0",
                "--listen-http",
                "127.0.0.1:0",
                "--disable-periodic-broker-push");
        ListenAddress grpc = node.getBean(WalNodeEndpoints.class).grpc();
        channel = WalNodeChannels.open(grpc);
        wal = ReactorWalServiceGrpc.newReactorStub(channel);
    }

    @AfterAll
    static void stopNode() {
        if (channel != null) {
            WalNodeChannels.close(channel, Duration.ofSeconds(5));
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void electedProposerAppendsAndReadersSeeExactlyTheCommittedWalThenFollowTheTail() throws Exception {
        TenantTimelineId timeline = newTimeline();
        elected(timeline, 1);
        ByteString a = bytes(random, 3000);
        ByteString b = bytes(random, 5000);
        ByteString c = bytes(random, 700);

        Appender appender = new Appender(timeline);
        appender.send(append(timeline, 1, START, a, START));
        AppendResponse first = appender.next();
        assertThat(first.getFlushLsn()).isEqualTo(START + a.size());
        assertThat(first.getCommitLsn()).isEqualTo(START);
        assertThat(first.getTerm()).isEqualTo(1);
        assertThat(first.hasRefusal()).isFalse();

        appender.send(append(timeline, 1, START + a.size(), b, START + a.size()));
        AppendResponse second = appender.awaitFlush(START + a.size() + b.size());
        assertThat(second.getCommitLsn()).isEqualTo(START + a.size());

        // Only [START, START+|a|) is committed: a reader gets exactly a, then waits at the commit LSN.
        Reader reader = new Reader(timeline, START, 0);
        assertThat(reader.await(a.size())).isEqualTo(a);
        Thread.sleep(200);
        assertThat(reader.received()).isEqualTo(a);

        // The commit LSN moves (a heartbeat carries it): the waiting reader follows the tail.
        appender.send(append(timeline, 1, START + a.size() + b.size(), c, START + a.size() + b.size()));
        appender.awaitFlush(START + a.size() + b.size() + c.size());
        assertThat(reader.await(a.size() + b.size())).isEqualTo(a.concat(b));
        reader.close();
        appender.close();
    }

    @Test
    void readWithAnEndLsnCompletesThere() throws Exception {
        TenantTimelineId timeline = newTimeline();
        elected(timeline, 1);
        ByteString data = bytes(random, 300_000); // more than two read chunks
        Appender appender = new Appender(timeline);
        long position = START;
        for (int offset = 0; offset < data.size(); offset += 100_000) {
            ByteString piece = data.substring(offset, Math.min(data.size(), offset + 100_000));
            appender.send(append(timeline, 1, position, piece, position));
            position += piece.size();
        }
        appender.send(append(timeline, 1, position, ByteString.EMPTY, position)); // heartbeat: commit all
        appender.awaitCommit(position);

        List<ReadWalResponse> chunks = wal.readWal(read(timeline, START + 10, START + 250_000))
                .collectList()
                .block(TIMEOUT);

        ByteString read =
                chunks.stream().map(r -> r.getChunk().getWalData()).reduce(ByteString.EMPTY, ByteString::concat);
        assertThat(read).isEqualTo(data.substring(10, 250_000));
        assertThat(chunks.getFirst().getChunk().getBeginLsn()).isEqualTo(START + 10);
        appender.close();
    }

    @Test
    void anAppendOfALowerTermIsRefusedWithTheNodesTerm() throws Exception {
        TenantTimelineId timeline = newTimeline();
        elected(timeline, 1);
        VoteResponse newer = wal.vote(vote(timeline, 5)).block(TIMEOUT);
        assertThat(newer.getVoteGiven()).isTrue();

        Appender appender = new Appender(timeline);
        appender.send(append(timeline, 1, START, bytes(random, 100), START));
        AppendResponse refused = appender.next();

        assertThat(refused.getRefusal().getReason()).isEqualTo(RefusalReason.REFUSAL_REASON_STALE_TERM);
        assertThat(refused.getRefusal().getTerm()).isEqualTo(5);
        assertThat(refused.getTerm()).isEqualTo(5);
        assertThat(refused.getFlushLsn()).isEqualTo(START);
        appender.awaitCompletion();
    }

    @Test
    void pipelinedAppendsShareFsyncs() throws Exception {
        TenantTimelineId timeline = newTimeline();
        elected(timeline, 1);
        WalNodeMetrics metrics = node.getBean(WalNodeMetrics.class);
        long fsyncsBefore = metrics.fsyncCount();
        long writesBefore = metrics.writeCount();

        Appender appender = new Appender(timeline);
        int appends = 200;
        long position = START;
        for (int i = 0; i < appends; i++) {
            ByteString piece = bytes(random, 8192);
            appender.send(append(timeline, 1, position, piece, position));
            position += piece.size();
        }
        appender.awaitFlush(position);

        long writes = metrics.writeCount() - writesBefore;
        long fsyncs = metrics.fsyncCount() - fsyncsBefore;
        assertThat(writes).isEqualTo(appends);
        assertThat(fsyncs).isPositive().isLessThan(appends);
        appender.close();
    }

    @Test
    void unknownTimelinesAndMalformedIdsAreTypedStatuses() {
        TenantTimelineId unknown = new TenantTimelineId(TenantId.generate(), TimelineId.generate());

        assertThatThrownBy(() -> wal.vote(vote(unknown, 1)).block(TIMEOUT))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains(unknown.toString());
                });
        assertThatThrownBy(() -> wal.getTimelineStatus(GetTimelineStatusRequest.newBuilder()
                                .setTenantTimelineId(io.xenondb.proto.wal.TenantTimelineId.newBuilder()
                                        .setTenantId(ByteString.copyFromUtf8("short")))
                                .build())
                        .block(TIMEOUT))
                .satisfies(e ->
                        assertThat(GrpcErrors.toXenonException(e).getMessage()).startsWith("tenant_id: "));
        assertThatThrownBy(() -> Flux.from(wal.append(Flux.just(append(unknown, 1, START, bytes(random, 10), START))))
                        .blockLast(TIMEOUT))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    // ---- helpers ----

    private TenantTimelineId newTimeline() {
        TenantTimelineId timeline = new TenantTimelineId(TenantId.generate(), TimelineId.generate());
        var greeting = wal.greet(greet(timeline, START)).block(TIMEOUT);
        assertThat(greeting.getNodeId()).isEqualTo(7);
        return timeline;
    }

    private void elected(TenantTimelineId timeline, long term) {
        VoteResponse vote = wal.vote(vote(timeline, term)).block(TIMEOUT);
        assertThat(vote.getVoteGiven()).isTrue();
        assertThat(vote.getFlushLsn()).isEqualTo(START);
        var elected = wal.elect(elect(timeline, term, START)).block(TIMEOUT);
        assertThat(elected.hasRefusal())
                .as("elect refused: %s", elected.getRefusal())
                .isFalse();
        assertThat(elected.getFlushLsn()).isEqualTo(START);
    }

    /** One Append stream driven step by step. */
    private final class Appender {
        private final Sinks.Many<AppendRequest> requests =
                Sinks.many().unicast().onBackpressureBuffer();
        private final BlockingQueue<Object> responses = new LinkedBlockingQueue<>();
        private final Disposable subscription;

        Appender(TenantTimelineId timeline) {
            subscription = wal.append(requests.asFlux())
                    .subscribe(responses::add, responses::add, () -> responses.add("completed"));
        }

        void send(AppendRequest request) {
            requests.emitNext(request, Sinks.EmitFailureHandler.busyLooping(TIMEOUT));
        }

        AppendResponse next() throws InterruptedException {
            Object next = responses.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(next).as("append response").isInstanceOf(AppendResponse.class);
            return (AppendResponse) next;
        }

        AppendResponse awaitFlush(long lsn) throws InterruptedException {
            while (true) {
                AppendResponse response = next();
                if (response.getFlushLsn() >= lsn) {
                    return response;
                }
            }
        }

        AppendResponse awaitCommit(long lsn) throws InterruptedException {
            while (true) {
                AppendResponse response = next();
                if (response.getCommitLsn() >= lsn) {
                    return response;
                }
            }
        }

        void awaitCompletion() throws InterruptedException {
            assertThat(responses.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .isEqualTo("completed");
        }

        void close() {
            requests.tryEmitComplete();
            subscription.dispose();
        }
    }

    /** One ReadWal stream collecting its bytes. */
    private final class Reader {
        private final StringBuilder errors = new StringBuilder();
        private volatile ByteString received = ByteString.EMPTY;
        private final Disposable subscription;

        Reader(TenantTimelineId timeline, long start, long end) {
            subscription = wal.readWal(read(timeline, start, end))
                    .subscribe(
                            response -> {
                                synchronized (this) {
                                    assertThat(response.getChunk().getBeginLsn())
                                            .isEqualTo(start + received.size());
                                    received =
                                            received.concat(response.getChunk().getWalData());
                                }
                            },
                            error -> errors.append(error));
        }

        ByteString received() {
            return received;
        }

        ByteString await(int size) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (received.size() < size && System.nanoTime() < deadline && errors.isEmpty()) {
                Thread.sleep(5);
            }
            assertThat(errors).as("reader errors").isEmpty();
            return received;
        }

        void close() {
            subscription.dispose();
        }
    }
}
