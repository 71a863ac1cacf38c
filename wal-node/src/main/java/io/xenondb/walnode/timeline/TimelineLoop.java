package io.xenondb.walnode.timeline;

import io.xenondb.proto.wal.StorageFeedback;
import io.xenondb.shared.error.ErrorCategory;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.walnode.consensus.Acceptor;
import io.xenondb.walnode.consensus.message.AppendResponse;
import io.xenondb.walnode.consensus.message.TimelineStatus;
import io.xenondb.walnode.consensus.message.WalProtos;
import io.xenondb.walnode.metrics.WalNodeMetrics;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The inside of a {@link TimelineActor}: runs batches of its work, one at a time, owning the acceptor, the stores
 * and the open append streams. Group commit happens here: every append of a batch is written, then ONE fsync,
 * then one acknowledgement per stream; any other work first settles the appends before it the same way. After
 * every change it publishes the timeline's state.
 */
final class TimelineLoop {
    private static final Logger LOG = LoggerFactory.getLogger(TimelineLoop.class);

    private final TenantTimelineId id;
    private final Acceptor acceptor;
    private final TimelineStorage storage;
    private final WalNodeMetrics metrics;
    private final SerialBatches<TimelineWork> batches;
    private final Sinks.Many<TimelineState> states = Sinks.many().replay().latest();
    private volatile TimelineState state;

    // Confined to the drain (one batch at a time; successive batches happen-before each other).
    private final Set<AppendSession> sessions = new LinkedHashSet<>();
    private final Set<AppendSession> unacknowledged = new LinkedHashSet<>();
    private final StorageFeedbacks feedback = new StorageFeedbacks();
    private XenonException closedBy;
    private boolean storageClosed;

    TimelineLoop(
            TenantTimelineId id,
            Acceptor acceptor,
            TimelineStorage storage,
            Executor executor,
            WalNodeMetrics metrics) {
        this.id = id;
        this.acceptor = acceptor;
        this.storage = storage;
        this.metrics = metrics;
        this.batches = new SerialBatches<>(executor, this::process);
        // Built before any drain: the constructing thread hands the timeline over through the registry's map.
        this.state = snapshot();
        states.tryEmitNext(state);
    }

    void submit(TimelineWork work) {
        batches.submit(work);
    }

    TimelineState state() {
        return state;
    }

    Flux<TimelineState> states() {
        return states.asFlux();
    }

    /** Only from work running in this loop. */
    void recordFeedback(StorageFeedback report) {
        feedback.record(report);
    }

    private void process(List<TimelineWork> batch) {
        for (TimelineWork work : batch) {
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

    private void handle(TimelineWork work) {
        switch (work) {
            case TimelineWork.Append append -> write(append);
            case TimelineWork.Call<?> call -> {
                settleAppends();
                run(call);
            }
            case TimelineWork.EndSession end -> {
                settleAppends();
                end(end);
            }
            case TimelineWork.Close close -> {
                settleAppends();
                closeNow(close);
            }
        }
    }

    private void write(TimelineWork.Append append) {
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

    private <T> void run(TimelineWork.Call<T> call) {
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

    private void end(TimelineWork.EndSession end) {
        AppendSession session = end.session();
        if (end.error() == null) {
            finish(session, session::complete);
        } else {
            finish(session, () -> session.fail(end.error()));
        }
    }

    private void closeNow(TimelineWork.Close close) {
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

    private void reject(TimelineWork work) {
        switch (work) {
            case TimelineWork.Append append -> finishIfOpen(append.session());
            case TimelineWork.EndSession end -> finishIfOpen(end.session());
            case TimelineWork.Call<?> call -> call.result().completeExceptionally(closedBy);
            case TimelineWork.Close close -> {
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
        return new TimelineState(
                status,
                acceptor.termHistory(),
                status.timelineStartLsn(),
                feedback.remoteConsistentLsn(),
                feedback.mostAdvanced(),
                sessions.size());
    }

    private static boolean isFatal(XenonException e) {
        return e.category() == ErrorCategory.UNAVAILABLE
                || e.category() == ErrorCategory.CORRUPTION
                || e.category() == ErrorCategory.INTERNAL;
    }
}
