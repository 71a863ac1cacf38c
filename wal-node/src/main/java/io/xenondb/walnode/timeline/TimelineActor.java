package io.xenondb.walnode.timeline;

import io.xenondb.proto.wal.StorageFeedback;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.walnode.consensus.Acceptor;
import io.xenondb.walnode.consensus.message.AppendRequest;
import io.xenondb.walnode.consensus.message.ElectRequest;
import io.xenondb.walnode.consensus.message.ElectResponse;
import io.xenondb.walnode.consensus.message.GreetRequest;
import io.xenondb.walnode.consensus.message.GreetResponse;
import io.xenondb.walnode.consensus.message.ReadWalRequest;
import io.xenondb.walnode.consensus.message.ReadWalResult;
import io.xenondb.walnode.consensus.message.TimelineStatus;
import io.xenondb.walnode.consensus.message.VoteRequest;
import io.xenondb.walnode.consensus.message.VoteResponse;
import io.xenondb.walnode.metrics.WalNodeMetrics;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A timeline at run time, the one way to its {@link Acceptor} and stores: every request becomes work for its
 * {@link TimelineLoop}, which runs the work in batches, one at a time, on a virtual thread. So the single-threaded
 * acceptor is never entered twice, appends queued together share one fsync (group commit), and no gRPC or Netty
 * thread ever waits for a disk.
 *
 * <p>After every change the timeline publishes a {@link TimelineState}; readers waiting for the commit LSN to move
 * subscribe to {@link #states()}, which replays the latest state, so no advance is ever missed.
 */
public final class TimelineActor {
    private final TenantTimelineId id;
    // Touched only inside calls, which the loop runs one at a time.
    private final Acceptor acceptor;
    private final TimelineLoop loop;

    TimelineActor(
            TenantTimelineId id,
            Acceptor acceptor,
            TimelineStorage storage,
            Executor executor,
            WalNodeMetrics metrics) {
        this.id = id;
        this.acceptor = acceptor;
        this.loop = new TimelineLoop(id, acceptor, storage, executor, metrics);
    }

    public TenantTimelineId id() {
        return id;
    }

    /** The latest published state; never blocks. */
    public TimelineState state() {
        return loop.state();
    }

    /** The latest state, then every change; completes when the timeline is closed, errors if it failed. */
    public Flux<TimelineState> states() {
        return loop.states();
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
    public Mono<Void> recordStorageFeedback(StorageFeedback report) {
        return call(() -> {
            loop.recordFeedback(report);
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
        loop.submit(new TimelineWork.Close(reason, done));
        return Mono.fromFuture(done, true);
    }

    /** The term before and after a {@link #bumpTerm}. */
    public record TermBump(Term previous, Term current) {}

    // Called by AppendSession from gRPC threads.
    void append(AppendSession session, AppendRequest request) {
        loop.submit(new TimelineWork.Append(session, request));
    }

    void endSession(AppendSession session, Throwable error) {
        loop.submit(new TimelineWork.EndSession(session, error));
    }

    private <T> Mono<T> call(Supplier<T> operation) {
        return Mono.defer(() -> {
            CompletableFuture<T> result = new CompletableFuture<>();
            loop.submit(new TimelineWork.Call<>(operation, result));
            // Cancelling the Mono cancels the future, and a call still queued is then skipped.
            return Mono.fromFuture(result);
        });
    }
}
