package io.xenondb.walnode.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.xenondb.proto.wal.AppendResponse;
import io.xenondb.proto.wal.RefusalReason;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.Acceptor;
import io.xenondb.walnode.consensus.message.AppendRequest;
import io.xenondb.walnode.consensus.message.ElectRequest;
import io.xenondb.walnode.consensus.message.GreetRequest;
import io.xenondb.walnode.consensus.message.ServerInfo;
import io.xenondb.walnode.consensus.message.TermHistory;
import io.xenondb.walnode.consensus.message.TermStart;
import io.xenondb.walnode.consensus.message.VoteRequest;
import io.xenondb.walnode.consensus.message.VoteResponse;
import io.xenondb.walnode.consensus.storage.InMemoryControlStore;
import io.xenondb.walnode.metrics.WalNodeMetrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;

/**
 * The timeline actor on an executor the test drives by hand, so that what is queued before a drain is exactly
 * one batch: group commit, ordering of acknowledgements and answers, refusals, failures and closing.
 */
class TimelineActorTest {
    private static final Lsn START = Lsn.parse("0/1000000");
    private static final TenantTimelineId TIMELINE = new TenantTimelineId(TenantId.generate(), TimelineId.generate());

    private final ManualExecutor executor = new ManualExecutor();
    private final CountingWalStore wal = new CountingWalStore(START);
    private final WalNodeMetrics metrics = new WalNodeMetrics(new SimpleMeterRegistry());
    private final AtomicBoolean storageClosed = new AtomicBoolean();
    private final TimelineActor actor = electedActor();
    private long position = START.value();

    @Test
    void appendsQueuedTogetherFromSeveralStreamsShareOneFsyncAndEachStreamGetsOneAck() {
        List<Stream> streams = List.of(new Stream(), new Stream(), new Stream());
        int flushesBefore = wal.flushes();
        for (int i = 0; i < 12; i++) {
            streams.get(i % 3).append(100 + i);
        }

        executor.runAll();

        assertThat(wal.flushes() - flushesBefore).isEqualTo(1);
        assertThat(metrics.fsyncCount()).isEqualTo(1);
        assertThat(metrics.writeCount()).isEqualTo(12);
        for (Stream stream : streams) {
            assertThat(stream.acks).singleElement().satisfies(ack -> {
                assertThat(ack.getFlushLsn()).isEqualTo(position);
                assertThat(ack.hasRefusal()).isFalse();
            });
        }
        assertThat(actor.state().flushLsn()).isEqualTo(Lsn.of(position));
    }

    @Test
    void eachDrainIsOneGroupAndNothingIsAcknowledgedBeforeItsFsync() {
        Stream stream = new Stream();
        stream.append(500);
        assertThat(stream.acks).isEmpty(); // queued, not written: no ack yet
        executor.runAll();
        long firstEnd = position;
        stream.append(300);
        stream.append(300);
        executor.runAll();

        assertThat(metrics.fsyncCount()).isEqualTo(2);
        assertThat(stream.acks).extracting(AppendResponse::getFlushLsn).containsExactly(firstEnd, position);
    }

    @Test
    void otherWorkSettlesQueuedAppendsFirstAndAnswersAfterTheirAcks() {
        Stream stream = new Stream();
        List<String> events = new CopyOnWriteArrayList<>();
        stream.onAck = ack -> events.add("ack " + ack.getFlushLsn());
        stream.append(1000);
        AtomicReference<VoteResponse> vote = new AtomicReference<>();
        actor.vote(new VoteRequest(TIMELINE, Term.of(2))).subscribe(v -> {
            vote.set(v);
            events.add("vote " + v.flushLsn().value());
        });

        executor.runAll();

        assertThat(events).containsExactly("ack " + position, "vote " + position);
        assertThat(vote.get().voteGiven()).isTrue();
    }

    @Test
    void aRefusedStreamEndsWithItsRefusalWhileOthersAreAcknowledged() {
        Stream good = new Stream();
        Stream stale = new Stream();
        good.append(200);
        stale.send(request(Term.ZERO, Lsn.of(position), 10));

        executor.runAll();

        assertThat(good.acks)
                .singleElement()
                .satisfies(ack -> assertThat(ack.getFlushLsn()).isEqualTo(position));
        assertThat(stale.acks).singleElement().satisfies(refusal -> {
            assertThat(refusal.getRefusal().getReason()).isEqualTo(RefusalReason.REFUSAL_REASON_STALE_TERM);
            assertThat(refusal.getRefusal().getTerm()).isEqualTo(1);
        });
        assertThat(stale.completed).isTrue();
        assertThat(good.completed).isFalse();
    }

    @Test
    void aFailedFsyncStopsTheTimelineAndTellsEveryone() {
        Stream stream = new Stream();
        stream.append(100);
        wal.failNextFlush();
        executor.runAll();

        assertThat(stream.acks).isEmpty();
        assertThat(stream.error).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription()).contains("fsync of test segment failed");
        });
        AtomicReference<Throwable> status = new AtomicReference<>();
        actor.status().subscribe(s -> {}, status::set);
        executor.runAll();
        assertThat(status.get())
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThat(metrics.fsyncCount()).isZero();
    }

    @Test
    void closingEndsOpenStreamsRefusesLaterWorkAndClosesTheStores() {
        Stream stream = new Stream();
        stream.append(100);
        AtomicBoolean closed = new AtomicBoolean();
        XenonException reason = new XenonException(ErrorCode.NOT_FOUND, "timeline deleted");
        actor.close(reason).subscribe(null, null, () -> closed.set(true));
        executor.runAll();

        assertThat(closed).isTrue();
        assertThat(storageClosed).isTrue();
        assertThat(stream.acks).hasSize(1); // what was written before the close is still acknowledged
        assertThat(stream.error)
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        AtomicReference<Throwable> later = new AtomicReference<>();
        actor.vote(new VoteRequest(TIMELINE, Term.of(9))).subscribe(v -> {}, later::set);
        executor.runAll();
        assertThat(later.get()).isSameAs(reason);
        assertThat(actor.states().collectList().block()).isNotEmpty(); // replays the last state, then completes
    }

    // ---- fixtures ----

    private TimelineActor electedActor() {
        InMemoryControlStore control = new InMemoryControlStore();
        GreetRequest greet =
                new GreetRequest(TIMELINE, "test", new ServerInfo(170_005, 0, 16 * 1024 * 1024), true, START);
        Acceptor acceptor = Acceptor.create(NodeId.of(1), wal, control, greet);
        acceptor.vote(new VoteRequest(TIMELINE, Term.of(1)));
        acceptor.elect(
                new ElectRequest(TIMELINE, Term.of(1), START, TermHistory.of(new TermStart(Term.of(1), START)), START));
        return new TimelineActor(
                TIMELINE,
                acceptor,
                new TimelineStorage(wal, control, () -> storageClosed.set(true)),
                executor,
                metrics);
    }

    private io.xenondb.proto.wal.AppendRequest request(Term term, Lsn begin, int size) {
        ByteString data = ByteString.copyFrom(new byte[size]);
        return io.xenondb.walnode.consensus.message.WalProtos.toProto(
                new AppendRequest(TIMELINE, term, begin, begin.plus(size), begin, Lsn.INVALID, data));
    }

    /** One append stream of a proposer, bound to the actor, recording what comes back. */
    private final class Stream {
        final AppendSession session = new AppendSession(timeline -> actor, () -> {});
        final Sinks.Many<io.xenondb.proto.wal.AppendRequest> requests =
                Sinks.many().unicast().onBackpressureBuffer();
        final List<AppendResponse> acks = new ArrayList<>();
        Throwable error;
        boolean completed;
        java.util.function.Consumer<AppendResponse> onAck = ack -> {};

        Stream() {
            requests.asFlux().subscribe(session);
            session.responses()
                    .subscribe(
                            ack -> {
                                acks.add(ack);
                                onAck.accept(ack);
                            },
                            e -> error = e,
                            () -> completed = true);
        }

        void append(int size) {
            send(request(Term.of(1), Lsn.of(position), size));
            position += size;
        }

        void send(io.xenondb.proto.wal.AppendRequest request) {
            assertThat(requests.tryEmitNext(request).isSuccess()).isTrue();
        }
    }

    /** An executor that runs what was submitted only when the test says so. */
    private static final class ManualExecutor implements Executor {
        private final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            Runnable task;
            while ((task = next()) != null) {
                task.run();
            }
        }

        private synchronized Runnable next() {
            return tasks.poll();
        }
    }
}
