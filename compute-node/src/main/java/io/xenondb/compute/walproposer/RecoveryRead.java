package io.xenondb.compute.walproposer;

import com.google.protobuf.ByteString;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.xenondb.proto.wal.ReadWalResponse;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.message.ReadWalRequest;
import io.xenondb.walnode.consensus.message.ReadWalResult;
import io.xenondb.walnode.consensus.message.Refusal;
import io.xenondb.walnode.consensus.message.WalChunk;
import io.xenondb.walnode.consensus.message.WalProtos;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * One recovery read ({@code ReadWal} with a recovery term and an end): gathers the streamed chunks into one
 * contiguous piece from the start LSN and hands it over once the end is reached or the stream ends; a refusal
 * or a failure before any WAL arrived is handed over as a failure. Callbacks of one call never overlap.
 */
final class RecoveryRead implements ClientResponseObserver<io.xenondb.proto.wal.ReadWalRequest, ReadWalResponse> {
    private final Lsn begin;
    private final Lsn end;
    // (chunk, null) on success, (null, refusal-if-any) on failure.
    private final BiConsumer<WalChunk, Optional<Refusal>> done;
    private ClientCallStreamObserver<io.xenondb.proto.wal.ReadWalRequest> call;
    private ByteString data = ByteString.EMPTY;
    private Lsn next;
    private Lsn commitLsn = Lsn.INVALID;
    private boolean finished;

    RecoveryRead(ReadWalRequest request, BiConsumer<WalChunk, Optional<Refusal>> done) {
        this.begin = request.startLsn();
        this.end = request.endLsn();
        this.next = begin;
        this.done = done;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<io.xenondb.proto.wal.ReadWalRequest> requestStream) {
        this.call = requestStream;
    }

    @Override
    public void onNext(ReadWalResponse response) {
        if (finished) {
            return;
        }
        ReadWalResult result;
        try {
            result = WalProtos.fromProto(response);
        } catch (XenonException e) {
            cancelWith(null, Optional.empty());
            return;
        }
        switch (result) {
            case Refusal refusal -> finish(null, Optional.of(refusal));
            case WalChunk chunk -> {
                if (!chunk.beginLsn().equals(next)) {
                    cancelWith(null, Optional.empty());
                    return;
                }
                data = data.concat(chunk.walData());
                next = chunk.endLsn();
                commitLsn = chunk.commitLsn();
                if (end.isValid() && !next.isBefore(end)) {
                    cancelWith(gathered(), Optional.empty());
                }
            }
        }
    }

    @Override
    public void onError(Throwable failure) {
        // WAL that arrived before the failure is still good WAL from the start LSN on.
        finish(data.isEmpty() ? null : gathered(), Optional.empty());
    }

    @Override
    public void onCompleted() {
        finish(gathered(), Optional.empty());
    }

    private WalChunk gathered() {
        ByteString bytes = data;
        if (end.isValid() && next.isAfter(end)) {
            bytes = bytes.substring(0, (int) end.minus(begin));
        }
        return new WalChunk(begin, bytes, commitLsn);
    }

    private void cancelWith(WalChunk chunk, Optional<Refusal> refusal) {
        finish(chunk, refusal);
        if (call != null) {
            call.cancel("recovery read complete", null);
        }
    }

    private void finish(WalChunk chunk, Optional<Refusal> refusal) {
        if (!finished) {
            finished = true;
            done.accept(chunk, refusal);
        }
    }
}
