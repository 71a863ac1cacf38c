package io.xenondb.walnode.timeline;

import io.xenondb.proto.wal.StorageFeedback;
import io.xenondb.shared.error.ErrorCategory;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.Acceptor;
import io.xenondb.walnode.consensus.message.AppendRequest;
import io.xenondb.walnode.consensus.message.AppendResponse;
import io.xenondb.walnode.consensus.message.ElectRequest;
import io.xenondb.walnode.consensus.message.ElectResponse;
import io.xenondb.walnode.consensus.message.GreetRequest;
import io.xenondb.walnode.consensus.message.GreetResponse;
import io.xenondb.walnode.consensus.message.ReadWalRequest;
import io.xenondb.walnode.consensus.message.ReadWalResult;
import io.xenondb.walnode.consensus.message.TimelineStatus;
import io.xenondb.walnode.consensus.message.VoteRequest;
import io.xenondb.walnode.consensus.message.VoteResponse;
import io.xenondb.walnode.consensus.message.WalProtos;
import io.xenondb.walnode.metrics.WalNodeMetrics;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The one owner of a timeline's {@link Acceptor} and stores: every request for the timeline becomes work in this
 * actor's queue, and one drain at a time runs it on the executor (a virtual thread), so the single-threaded
 * acceptor is never entered twice and no gRPC or Netty thread ever waits for a disk.
 *
 * <p>Group commit: a drain takes everything queued, writes every append in it (from any number of streams),
 * then fsyncs ONCE and acknowledges each stream that appended with the node's positions after that fsync. Other
 * work (votes, elections, reads) first settles the pending appends the same way, so it always sees, and answers
 * after, a durable WAL.
 *
 * <p>After every change the actor publishes a {@link TimelineState}; readers waiting for the commit LSN to move
 * subscribe to {@link #states()}, which replays the latest state, so no advance is ever missed.
 */
public final class TimelineActor {
    private static final Logger LOG = LoggerFactory.getLogger(TimelineActor.class);

    private final TenantTimelineId id;
    private final Acceptor acceptor;
    private final TimelineStorage storage;
    private final Executor executor;
    private final WalNodeMetrics metrics;
    private final Queue<Work> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Sinks.Many<TimelineState> states = Sinks.many().replay().latest();
    private volatile TimelineState state;

    // Confined to the drain (one thread at a time, with happens-before through the queue and the flag).
    private final Set<AppendSession> sessions = new LinkedHashSet<>();
    private final Set<AppendSession> unacknowledged = new LinkedHashSet<>();
    private final Map<String, StorageFeedback> feedbackByShard = new TreeMap<>();
    private XenonException closedBy;
    private boolean storageClosed;

    TimelineActor(
            TenantTimelineId id,
            Acceptor acceptor,
            TimelineStorage storage,
            Executor executor,
            WalNodeMetrics metrics) {
        this.id = id;
        this.acceptor = acceptor;
        this.storage = storage;
        this.executor = executor;
        this.metrics = metrics;
        // Built here, before any drain: the constructing thread hands the actor over through the registry's map.
        this.state = snapshot();
        states.tryEmitNext(state);
    }

    public TenantTimelineId id() {
        return id;
    }

    /** The latest published state; never blocks. */
    public TimelineState state() {
        return state;
    }

    /** The latest state, then every change; completes when the timeline is closed, errors if it failed. */
    public Flux<TimelineState> states() {
        return states.asFlux();
    }

    public Mono<GreetResponse> greet(GreetRequest request) {
        return call(() -> acceptor.greet(request));
    }

    public Mono<VoteResponse> vote(VoteRequest request) {
        return call(() -> acceptor.vote(request));
    }

    public Mono<ElectResponse> elect(ElectRequest request) {
        return call(() -> acceptor.elect(request));
    }

    public Mono<ReadWalResult> readWal(ReadWalRequest request, int maxBytes) {
        return call(() -> acceptor.readWal(request, maxBytes));
    }

    public Mono<TimelineStatus> status() {
        return call(acceptor::status);
    }

    /**
     * Raises the term to {@code to} (or by one when empty) unless it is already as high, as Neon's term_bump: no
     * proposer of an older term can append or get elected afterwards. Persisted before the answer.
     */
    public Mono<TermBump> bumpTerm(Optional<Term> to) {
        return call(() -> {
            Term before = acceptor.term();
            Term target = to.map(t -> t.isAfter(before) ? t : before).orElseGet(before::next);
            if (target.isAfter(before)) {
                // A vote for a term nobody asked for is exactly a durable term raise.
                acceptor.vote(new VoteRequest(id, target));
            }
            return new TermBump(before, acceptor.term());
        });
    }

    /** Records a storage node's progress (per shard; the newest report of a shard replaces the older). */
    public Mono<Void> recordStorageFeedback(StorageFeedback feedback) {
        return call(() -> {
            feedbackByShard.merge(feedback.getShardId(), feedback, (old, neu) -> neu);
            return null;
        });
    }

    /** Checkpoints advanced commit and truncate LSNs into the control file (periodically). */
    public Mono<Void> checkpoint() {
        return call(() -> {
            acceptor.persistControlState();
            return null;
        });
    }

    /**
     * Stops the timeline: settles pending appends, checkpoints, ends every open stream and every later request
     * with {@code reason}, and closes the stores. Completes when done; idempotent.
     */
    public Mono<Void> close(XenonException reason) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(new Close(reason, done));
        return Mono.fromFuture(done, true);
    }

    /** The term before and after a {@link #bumpTerm}. */
    public record TermBump(Term previous, Term current) {}

    // Called by AppendSession from gRPC threads.
    void append(AppendSession session, AppendRequest request) {
        submit(new Append(session, request));
    }

    void endSession(AppendSession session, Throwable error) {
        submit(new EndSession(session, error));
    }

    private <T> Mono<T> call(Supplier<T> operation) {
        return Mono.defer(() -> {
            CompletableFuture<T> result = new CompletableFuture<>();
            submit(new Call<>(operation, result));
            // Cancelling the Mono cancels the future, and a call still queued is then skipped.
            return Mono.fromFuture(result);
        });
    }

    private void submit(Work work) {
        queue.add(work);
        if (scheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            List<Work> batch = new ArrayList<>();
            for (Work work; (work = queue.poll()) != null; ) {
                batch.add(work);
            }
            if (batch.isEmpty()) {
                scheduled.set(false);
                // Work added between the last poll and clearing the flag would otherwise wait for the next submit.
                if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            process(batch);
        }
    }

    private void process(List<Work> batch) {
        for (Work work : batch) {
            if (closedBy != null) {
                reject(work);
                continue;
            }
            try {
                handle(work);
            } catch (RuntimeException | Error e) {
                fail(e);
                reject(work);
            }
        }
        try {
            settleAppends();
        } catch (RuntimeException | Error e) {
            fail(e);
        }
    }

    private void handle(Work work) {
        switch (work) {
            case Append append -> write(append);
            case Call<?> call -> {
                settleAppends();
                run(call);
            }
            case EndSession end -> {
                settleAppends();
                end(end);
            }
            case Close close -> {
                settleAppends();
                closeNow(close);
            }
        }
    }

    private void write(Append append) {
        AppendSession session = append.session();
        if (session.isFinished()) {
            return;
        }
        if (sessions.add(session)) {
            publish();
        }
        int bytes = append.request().walData().size();
        long started = System.nanoTime();
        Optional<AppendResponse> refusal;
        try {
            refusal = acceptor.append(append.request());
        } catch (XenonException e) {
            if (isFatal(e)) {
                throw e;
            }
            settleAppends();
            finish(session, () -> session.fail(e));
            return;
        }
        if (bytes > 0) {
            metrics.write(bytes, System.nanoTime() - started);
        }
        session.consumed();
        if (refusal.isPresent()) {
            settleAppends();
            finish(session, () -> session.refuse(WalProtos.toProto(refusal.get())));
            return;
        }
        unacknowledged.add(session);
    }

    /** The group commit: one fsync for every append written since the last, then one ack per stream. */
    private void settleAppends() {
        if (unacknowledged.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        AppendResponse flushed = acceptor.flush();
        metrics.fsync(System.nanoTime() - started);
        publish();
        io.xenondb.proto.wal.AppendResponse.Builder ack = WalProtos.toProto(flushed).toBuilder();
        state.storageFeedback().ifPresent(ack::setStorageFeedback);
        io.xenondb.proto.wal.AppendResponse message = ack.build();
        for (AppendSession session : unacknowledged) {
            session.acknowledge(message);
        }
        unacknowledged.clear();
    }

    private <T> void run(Call<T> call) {
        if (call.result().isDone()) {
            return; // cancelled by the caller while queued
        }
        T value;
        try {
            value = call.operation().get();
        } catch (XenonException e) {
            if (isFatal(e)) {
                call.result().completeExceptionally(e);
                throw e;
            }
            call.result().completeExceptionally(e);
            return;
        }
        publish();
        call.result().complete(value);
    }

    private void end(EndSession end) {
        AppendSession session = end.session();
        if (end.error() == null) {
            finish(session, session::complete);
        } else {
            finish(session, () -> session.fail(end.error()));
        }
    }

    private void closeNow(Close close) {
        try {
            acceptor.persistControlState();
        } catch (RuntimeException e) {
            LOG.warn("timeline {}: final checkpoint failed: {}", id, e.getMessage());
        }
        shutDown(close.reason());
        closeStorage();
        close.done().complete(null);
    }

    private void closeStorage() {
        if (storageClosed) {
            return;
        }
        storageClosed = true;
        try {
            storage.close();
        } catch (RuntimeException e) {
            LOG.warn("timeline {}: closing its stores failed: {}", id, e.getMessage());
        }
    }

    /** A store failed (disk error, bug): the acceptor's state is no longer trusted; the timeline stops. */
    private void fail(Throwable failure) {
        if (closedBy != null) {
            return;
        }
        metrics.diskIoError();
        LOG.error("timeline {} failed and stops serving until the node restarts", id, failure);
        XenonException reason = new XenonException(
                ErrorCode.UNAVAILABLE,
                "timeline " + id + " failed (" + failure.getMessage() + "); it serves again after a restart");
        unacknowledged.clear();
        shutDown(reason);
    }

    private void shutDown(XenonException reason) {
        closedBy = reason;
        for (AppendSession session : List.copyOf(sessions)) {
            finish(session, () -> session.fail(reason));
        }
        unacknowledged.clear();
        states.tryEmitComplete();
    }

    private void reject(Work work) {
        switch (work) {
            case Append append -> finishIfOpen(append.session());
            case EndSession end -> finishIfOpen(end.session());
            case Call<?> call -> call.result().completeExceptionally(closedBy);
            case Close close -> {
                closeStorage();
                close.done().complete(null);
            }
        }
    }

    private void finishIfOpen(AppendSession session) {
        if (!session.isFinished()) {
            session.fail(closedBy);
        }
    }

    private void finish(AppendSession session, Runnable signal) {
        unacknowledged.remove(session);
        if (sessions.remove(session)) {
            publish();
        }
        signal.run();
    }

    private void publish() {
        TimelineState next = snapshot();
        if (!next.equals(state)) {
            state = next;
            states.tryEmitNext(next);
        }
    }

    private TimelineState snapshot() {
        TimelineStatus status = acceptor.status();
        Lsn remoteConsistent = feedbackByShard.values().stream()
                .map(f -> Lsn.of(f.getRemoteConsistentLsn()))
                .min(Lsn::compareTo)
                .orElse(Lsn.INVALID);
        Optional<StorageFeedback> mostAdvanced = feedbackByShard.values().stream()
                .max((a, b) -> Long.compareUnsigned(a.getLastRecordLsn(), b.getLastRecordLsn()));
        return new TimelineState(
                status,
                acceptor.termHistory(),
                status.timelineStartLsn(),
                remoteConsistent,
                mostAdvanced,
                sessions.size());
    }

    private static boolean isFatal(XenonException e) {
        return e.category() == ErrorCategory.UNAVAILABLE
                || e.category() == ErrorCategory.CORRUPTION
                || e.category() == ErrorCategory.INTERNAL;
    }

    private sealed interface Work permits Append, Call, EndSession, Close {}

    private record Append(AppendSession session, AppendRequest request) implements Work {}

    private record Call<T>(Supplier<T> operation, CompletableFuture<T> result) implements Work {}

    private record EndSession(AppendSession session, Throwable error) implements Work {}

    private record Close(XenonException reason, CompletableFuture<Void> done) implements Work {}
}
