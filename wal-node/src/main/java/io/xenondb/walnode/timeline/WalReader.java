package io.xenondb.walnode.timeline;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.message.AppendRequest;
import io.xenondb.walnode.consensus.message.ReadWalRequest;
import io.xenondb.walnode.consensus.message.ReadWalResult;
import io.xenondb.walnode.consensus.message.Refusal;
import io.xenondb.walnode.consensus.message.WalChunk;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A ReadWal stream: chunks of the timeline's WAL from the start LSN, read by the actor one at a time as the
 * reader asks for them. When the reader has caught up, it waits for the timeline's published state to move past
 * its position (the commit LSN; for a recovery read the flush LSN or the term) instead of polling, and goes on.
 * Completes at the request's end LSN; ends with a refusal (recovery reads) or the timeline's error.
 */
public final class WalReader {
    /** Largest chunk: as large as an append, so a catching-up reader moves in big steps. */
    static final int MAX_CHUNK_BYTES = AppendRequest.MAX_WAL_BYTES;

    private WalReader() {}

    public static Flux<ReadWalResult> read(TimelineActor actor, ReadWalRequest request) {
        return Flux.defer(() -> {
            AtomicReference<Lsn> position = new AtomicReference<>(request.startLsn());
            return Mono.defer(() -> next(actor, request, position.get()))
                    .repeat()
                    .takeUntil(result -> isLast(result, request))
                    .doOnNext(result -> {
                        if (result instanceof WalChunk chunk) {
                            position.set(chunk.endLsn());
                        }
                    })
                    // Only a read that starts at its end LSN yields an empty chunk: nothing to send.
                    .filter(result -> !(result instanceof WalChunk chunk
                            && chunk.walData().isEmpty()));
        });
    }

    private static Mono<ReadWalResult> next(TimelineActor actor, ReadWalRequest request, Lsn position) {
        ReadWalRequest from =
                new ReadWalRequest(request.timeline(), position, request.endLsn(), request.recoveryTerm());
        return actor.readWal(from, MAX_CHUNK_BYTES).flatMap(result -> {
            if (result instanceof WalChunk chunk && chunk.walData().isEmpty() && !isLast(chunk, request)) {
                return waitForProgress(actor, request, position).then(Mono.defer(() -> next(actor, request, position)));
            }
            return Mono.just(result);
        });
    }

    /** Completes once there is something new to read at {@code position} (or the timeline was closed). */
    private static Mono<TimelineState> waitForProgress(TimelineActor actor, ReadWalRequest request, Lsn position) {
        return actor.states()
                .filter(state -> request.isRecovery()
                        ? state.flushLsn().isAfter(position) || !state.term().equals(request.recoveryTerm())
                        : state.commitLsn().isAfter(position))
                .next();
    }

    private static boolean isLast(ReadWalResult result, ReadWalRequest request) {
        return switch (result) {
            case Refusal refusal -> true;
            case WalChunk chunk -> request.endLsn().isValid() && !chunk.endLsn().isBefore(request.endLsn());
        };
    }
}
