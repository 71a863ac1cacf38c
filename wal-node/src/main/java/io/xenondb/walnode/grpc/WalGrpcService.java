package io.xenondb.walnode.grpc;

import io.xenondb.proto.wal.AppendRequest;
import io.xenondb.proto.wal.AppendResponse;
import io.xenondb.proto.wal.ElectRequest;
import io.xenondb.proto.wal.ElectResponse;
import io.xenondb.proto.wal.GetTimelineStatusRequest;
import io.xenondb.proto.wal.GetTimelineStatusResponse;
import io.xenondb.proto.wal.GreetRequest;
import io.xenondb.proto.wal.GreetResponse;
import io.xenondb.proto.wal.ReactorWalServiceGrpc;
import io.xenondb.proto.wal.ReadWalRequest;
import io.xenondb.proto.wal.ReadWalResponse;
import io.xenondb.proto.wal.StorageFeedbackRequest;
import io.xenondb.proto.wal.StorageFeedbackResponse;
import io.xenondb.proto.wal.VoteRequest;
import io.xenondb.proto.wal.VoteResponse;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.GrpcErrors;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.walnode.consensus.message.WalProtos;
import io.xenondb.walnode.metrics.WalNodeMetrics;
import io.xenondb.walnode.timeline.AppendSession;
import io.xenondb.walnode.timeline.TimelineActor;
import io.xenondb.walnode.timeline.TimelineRegistry;
import io.xenondb.walnode.timeline.TimelineState;
import io.xenondb.walnode.timeline.WalReader;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The WAL service ({@code xenon.wal.WalService}) over the timeline registry: each call is translated to the
 * consensus messages (validating them), handed to the timeline's actor, and its answer translated back. Errors
 * become gRPC statuses through {@link GrpcErrors}, the one mapping; a lost term is a Refusal inside a response.
 */
public final class WalGrpcService extends ReactorWalServiceGrpc.WalServiceImplBase {
    private final TimelineRegistry registry;
    private final WalNodeMetrics metrics;

    public WalGrpcService(TimelineRegistry registry, WalNodeMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
    }

    @Override
    public Mono<GreetResponse> greet(GreetRequest request) {
        return Mono.fromCallable(() -> WalProtos.fromProto(request))
                .flatMap(greeting -> registry.forGreeting(greeting).flatMap(actor -> actor.greet(greeting)))
                .map(WalProtos::toProto);
    }

    @Override
    public Mono<VoteResponse> vote(VoteRequest request) {
        return Mono.fromCallable(() -> WalProtos.fromProto(request))
                .flatMap(vote -> registry.get(vote.timeline()).vote(vote))
                .map(WalProtos::toProto);
    }

    @Override
    public Mono<ElectResponse> elect(ElectRequest request) {
        return Mono.fromCallable(() -> WalProtos.fromProto(request))
                .flatMap(elect -> registry.get(elect.timeline()).elect(elect))
                .map(WalProtos::toProto);
    }

    @Override
    public Flux<AppendResponse> append(Flux<AppendRequest> requests) {
        return Flux.defer(() -> {
            Runnable closed = metrics.walReceiverOpened();
            return AppendSession.serve(registry, requests, closed);
        });
    }

    @Override
    public Flux<ReadWalResponse> readWal(ReadWalRequest request) {
        return Mono.fromCallable(() -> WalProtos.fromProto(request))
                .flatMapMany(read -> {
                    TimelineActor actor = registry.get(read.timeline());
                    Runnable closed = metrics.walReaderOpened();
                    return WalReader.read(actor, read).doFinally(signal -> closed.run());
                })
                .map(WalProtos::toProto);
    }

    @Override
    public Mono<GetTimelineStatusResponse> getTimelineStatus(GetTimelineStatusRequest request) {
        return Mono.fromCallable(() -> timeline(request.hasTenantTimelineId(), request.getTenantTimelineId()))
                .flatMap(timeline -> {
                    TimelineActor actor = registry.get(timeline);
                    return actor.status().map(status -> {
                        TimelineState state = actor.state();
                        return WalProtos.toProto(status)
                                .setBackupLsn(state.backupLsn().value())
                                .setRemoteConsistentLsn(
                                        state.remoteConsistentLsn().value())
                                .build();
                    });
                });
    }

    @Override
    public Mono<StorageFeedbackResponse> reportStorageFeedback(StorageFeedbackRequest request) {
        return Mono.fromCallable(() -> {
                    TenantTimelineId timeline = timeline(request.hasTenantTimelineId(), request.getTenantTimelineId());
                    if (!request.hasFeedback()) {
                        throw new XenonException(
                                ErrorCode.INVALID_ARGUMENT,
                                "feedback: missing (expected: the storage node's progress)");
                    }
                    return registry.get(timeline);
                })
                .flatMap(actor -> actor.recordStorageFeedback(request.getFeedback()))
                .thenReturn(StorageFeedbackResponse.newBuilder()
                        .setNodeId(registry.nodeId().value())
                        .build());
    }

    /** Every failure leaves through the house mapping: typed errors keep their message and code. */
    @Override
    protected Throwable onErrorMap(Throwable throwable) {
        return GrpcErrors.toStatus(throwable);
    }

    private static TenantTimelineId timeline(boolean present, io.xenondb.proto.wal.TenantTimelineId proto) {
        if (!present) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "tenant_timeline_id: missing (expected: tenant and timeline ids)");
        }
        return TenantTimelineId.fromProto(proto);
    }
}
