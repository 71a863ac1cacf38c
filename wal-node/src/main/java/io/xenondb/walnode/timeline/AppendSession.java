package io.xenondb.walnode.timeline;

import io.grpc.Status;
import io.xenondb.proto.wal.AppendResponse;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.GrpcErrors;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.walnode.consensus.message.AppendRequest;
import io.xenondb.walnode.consensus.message.WalProtos;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * One Append stream of a proposer: takes its requests at the pace the timeline actor writes them (at most
 * {@link #PREFETCH} in flight, so a fast proposer and a slow disk cannot fill the memory) and carries the actor's
 * acknowledgements back. The stream belongs to the timeline of its first request.
 *
 * <p>Once bound to a timeline, every signal to the response stream comes from that timeline's actor, one at a
 * time; before that (first request malformed or naming an unknown timeline) the stream fails from here.
 */
public final class AppendSession extends BaseSubscriber<io.xenondb.proto.wal.AppendRequest> {
    /** Requests taken ahead of the actor: enough for a proposer to pipeline, bounded at 32 × 128 KiB. */
    static final int PREFETCH = 32;

    private final Function<TenantTimelineId, TimelineActor> timelines;
    private final Runnable onClosed;
    private final Sinks.Many<AppendResponse> responses = Sinks.many().unicast().onBackpressureBuffer();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile TimelineActor actor;
    private volatile boolean finished;

    /**
     * @param timelines finds the actor of the timeline the first request names (NOT_FOUND if none)
     * @param onClosed runs once when the stream ends, however it ends
     */
    AppendSession(Function<TenantTimelineId, TimelineActor> timelines, Runnable onClosed) {
        this.timelines = timelines;
        this.onClosed = onClosed;
    }

    /** Serves one Append call: subscribes to its requests and returns its responses. */
    public static Flux<AppendResponse> serve(
            TimelineRegistry registry, Flux<io.xenondb.proto.wal.AppendRequest> requests, Runnable onClosed) {
        return Flux.defer(() -> {
            AppendSession session = new AppendSession(registry::get, onClosed);
            requests.subscribe(session);
            return session.responses().doOnCancel(session::cancelledByClient);
        });
    }

    /** The acknowledgements, refusal and end of this stream. */
    Flux<AppendResponse> responses() {
        return responses.asFlux();
    }

    boolean isFinished() {
        return finished;
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
        subscription.request(PREFETCH);
    }

    @Override
    protected void hookOnNext(io.xenondb.proto.wal.AppendRequest message) {
        if (finished) {
            return;
        }
        AppendRequest request;
        try {
            request = WalProtos.fromProto(message);
        } catch (XenonException e) {
            failFromHere(e);
            return;
        }
        TimelineActor bound = actor;
        if (bound == null) {
            try {
                bound = timelines.apply(request.timeline());
            } catch (XenonException e) {
                failFromHere(e);
                return;
            }
            actor = bound;
        } else if (!bound.id().equals(request.timeline())) {
            failFromHere(new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "append: tenant_timeline_id " + request.timeline() + " (expected: " + bound.id()
                            + ", the timeline of this stream's first request)"));
            return;
        }
        bound.append(this, request);
    }

    @Override
    protected void hookOnComplete() {
        TimelineActor bound = actor;
        if (bound == null) {
            complete();
        } else {
            bound.endSession(this, null);
        }
    }

    @Override
    protected void hookOnError(Throwable error) {
        TimelineActor bound = actor;
        if (bound == null) {
            fail(error);
        } else {
            bound.endSession(this, error);
        }
    }

    // The signals below come from the timeline's actor (or from here before the stream is bound).

    /** The actor took one request: let the next one in. */
    void consumed() {
        request(1);
    }

    void acknowledge(AppendResponse response) {
        responses.tryEmitNext(response);
    }

    /** A refusal ends the stream: the proposer learns the node's term and stops. */
    void refuse(AppendResponse refusal) {
        finished = true;
        responses.tryEmitNext(refusal);
        responses.tryEmitComplete();
        release();
    }

    void complete() {
        finished = true;
        responses.tryEmitComplete();
        release();
    }

    void fail(Throwable error) {
        finished = true;
        responses.tryEmitError(GrpcErrors.toStatus(error));
        release();
    }

    private void failFromHere(XenonException error) {
        TimelineActor bound = actor;
        if (bound == null) {
            fail(error);
        } else {
            // Through the actor, after the requests already handed to it, so that it alone signals the stream.
            finished = true;
            bound.endSession(this, error);
        }
        cancel();
    }

    private void cancelledByClient() {
        finished = true;
        TimelineActor bound = actor;
        if (bound != null) {
            bound.endSession(this, Status.CANCELLED.asRuntimeException());
        }
        release();
    }

    private void release() {
        cancel();
        if (closed.compareAndSet(false, true)) {
            onClosed.run();
        }
    }
}
