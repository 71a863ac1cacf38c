package io.xenondb.walnode.timeline;

import io.xenondb.shared.error.XenonException;
import io.xenondb.walnode.consensus.message.AppendRequest;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** What a {@link TimelineLoop} runs: appends and stream ends from append streams, calls, and closing. */
sealed interface TimelineWork {
    /** WAL from a stream, written now and acknowledged at the end of its batch. */
    record Append(AppendSession session, AppendRequest request) implements TimelineWork {}

    /** Any other operation on the acceptor; its result completes the future (skipped if already cancelled). */
    record Call<T>(Supplier<T> operation, CompletableFuture<T> result) implements TimelineWork {}

    /** A stream ended (error null: the proposer closed its side). */
    record EndSession(AppendSession session, Throwable error) implements TimelineWork {}

    /** Stop the timeline with {@code reason}. */
    record Close(XenonException reason, CompletableFuture<Void> done) implements TimelineWork {}
}
