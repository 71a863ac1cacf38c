package io.xenondb.walnode.consensus.message;

import io.xenondb.proto.wal.GetTimelineStatusResponse;
import io.xenondb.proto.wal.ReadWalResponse;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Translation between the consensus records and the {@code xenon.wal} protobuf messages, for the gRPC layer.
 * {@code fromProto} validates: a malformed message becomes a {@link XenonException} naming the bad field.
 */
public final class WalProtos {
    private WalProtos() {}

    public static io.xenondb.proto.wal.TermHistory toProto(TermHistory history) {
        var builder = io.xenondb.proto.wal.TermHistory.newBuilder();
        for (TermStart entry : history.entries()) {
            builder.addEntries(io.xenondb.proto.wal.TermStart.newBuilder()
                    .setTerm(entry.term().value())
                    .setStartLsn(entry.startLsn().value()));
        }
        return builder.build();
    }

    public static TermHistory fromProto(io.xenondb.proto.wal.TermHistory proto) {
        List<TermStart> entries = new ArrayList<>(proto.getEntriesCount());
        for (io.xenondb.proto.wal.TermStart entry : proto.getEntriesList()) {
            entries.add(new TermStart(term(entry.getTerm()), Lsn.of(entry.getStartLsn())));
        }
        return new TermHistory(entries);
    }

    public static io.xenondb.proto.wal.Refusal toProto(Refusal refusal) {
        return io.xenondb.proto.wal.Refusal.newBuilder()
                .setReason(
                        switch (refusal.reason()) {
                            case STALE_TERM -> io.xenondb.proto.wal.RefusalReason.REFUSAL_REASON_STALE_TERM;
                            case NOT_ELECTED -> io.xenondb.proto.wal.RefusalReason.REFUSAL_REASON_NOT_ELECTED;
                            case NOT_CONTIGUOUS -> io.xenondb.proto.wal.RefusalReason.REFUSAL_REASON_NOT_CONTIGUOUS;
                        })
                .setTerm(refusal.term().value())
                .setDetail(refusal.detail())
                .build();
    }

    public static Refusal fromProto(io.xenondb.proto.wal.Refusal proto) {
        RefusalReason reason = switch (proto.getReason()) {
            case REFUSAL_REASON_STALE_TERM -> RefusalReason.STALE_TERM;
            case REFUSAL_REASON_NOT_ELECTED -> RefusalReason.NOT_ELECTED;
            case REFUSAL_REASON_NOT_CONTIGUOUS -> RefusalReason.NOT_CONTIGUOUS;
            default ->
                throw invalid(
                        "refusal.reason", proto.getReasonValue(), "STALE_TERM, NOT_ELECTED or " + "NOT_CONTIGUOUS");
        };
        return new Refusal(reason, term(proto.getTerm()), proto.getDetail());
    }

    public static io.xenondb.proto.wal.GreetRequest toProto(GreetRequest request) {
        return io.xenondb.proto.wal.GreetRequest.newBuilder()
                .setTenantTimelineId(request.timeline().toWalProto())
                .setProposerId(request.proposerId())
                .setPgVersion(request.serverInfo().pgVersion())
                .setSystemId(request.serverInfo().systemId())
                .setWalSegSize(request.serverInfo().walSegSize())
                .setAllowTimelineCreation(request.allowTimelineCreation())
                .setTimelineStartLsn(request.timelineStartLsn().value())
                .build();
    }

    public static GreetRequest fromProto(io.xenondb.proto.wal.GreetRequest proto) {
        return new GreetRequest(
                timeline(proto.hasTenantTimelineId(), proto.getTenantTimelineId()),
                proto.getProposerId(),
                new ServerInfo(proto.getPgVersion(), proto.getSystemId(), proto.getWalSegSize()),
                proto.getAllowTimelineCreation(),
                Lsn.of(proto.getTimelineStartLsn()));
    }

    public static io.xenondb.proto.wal.GreetResponse toProto(GreetResponse response) {
        return io.xenondb.proto.wal.GreetResponse.newBuilder()
                .setNodeId(response.nodeId().value())
                .setTerm(response.term().value())
                .build();
    }

    public static GreetResponse fromProto(io.xenondb.proto.wal.GreetResponse proto) {
        return new GreetResponse(nodeId(proto.getNodeId()), term(proto.getTerm()));
    }

    public static io.xenondb.proto.wal.VoteRequest toProto(VoteRequest request) {
        return io.xenondb.proto.wal.VoteRequest.newBuilder()
                .setTenantTimelineId(request.timeline().toWalProto())
                .setTerm(request.term().value())
                .build();
    }

    public static VoteRequest fromProto(io.xenondb.proto.wal.VoteRequest proto) {
        return new VoteRequest(
                timeline(proto.hasTenantTimelineId(), proto.getTenantTimelineId()), term(proto.getTerm()));
    }

    public static io.xenondb.proto.wal.VoteResponse toProto(VoteResponse response) {
        return io.xenondb.proto.wal.VoteResponse.newBuilder()
                .setNodeId(response.nodeId().value())
                .setTerm(response.term().value())
                .setVoteGiven(response.voteGiven())
                .setFlushLsn(response.flushLsn().value())
                .setTruncateLsn(response.truncateLsn().value())
                .setTermHistory(toProto(response.termHistory()))
                .setTimelineStartLsn(response.timelineStartLsn().value())
                .build();
    }

    public static VoteResponse fromProto(io.xenondb.proto.wal.VoteResponse proto) {
        return new VoteResponse(
                nodeId(proto.getNodeId()),
                term(proto.getTerm()),
                proto.getVoteGiven(),
                Lsn.of(proto.getFlushLsn()),
                Lsn.of(proto.getTruncateLsn()),
                fromProto(proto.getTermHistory()),
                Lsn.of(proto.getTimelineStartLsn()));
    }

    public static io.xenondb.proto.wal.ElectRequest toProto(ElectRequest request) {
        return io.xenondb.proto.wal.ElectRequest.newBuilder()
                .setTenantTimelineId(request.timeline().toWalProto())
                .setTerm(request.term().value())
                .setTermStartLsn(request.termStartLsn().value())
                .setTermHistory(toProto(request.termHistory()))
                .setStartStreamingAt(request.startStreamingAt().value())
                .build();
    }

    public static ElectRequest fromProto(io.xenondb.proto.wal.ElectRequest proto) {
        return new ElectRequest(
                timeline(proto.hasTenantTimelineId(), proto.getTenantTimelineId()),
                term(proto.getTerm()),
                Lsn.of(proto.getTermStartLsn()),
                fromProto(proto.getTermHistory()),
                Lsn.of(proto.getStartStreamingAt()));
    }

    public static io.xenondb.proto.wal.ElectResponse toProto(ElectResponse response) {
        var builder = io.xenondb.proto.wal.ElectResponse.newBuilder()
                .setNodeId(response.nodeId().value())
                .setTerm(response.term().value())
                .setFlushLsn(response.flushLsn().value());
        response.refusal().ifPresent(refusal -> builder.setRefusal(toProto(refusal)));
        return builder.build();
    }

    public static ElectResponse fromProto(io.xenondb.proto.wal.ElectResponse proto) {
        return new ElectResponse(
                nodeId(proto.getNodeId()),
                term(proto.getTerm()),
                Lsn.of(proto.getFlushLsn()),
                proto.hasRefusal() ? Optional.of(fromProto(proto.getRefusal())) : Optional.empty());
    }

    public static io.xenondb.proto.wal.AppendRequest toProto(AppendRequest request) {
        return io.xenondb.proto.wal.AppendRequest.newBuilder()
                .setTenantTimelineId(request.timeline().toWalProto())
                .setTerm(request.term().value())
                .setBeginLsn(request.beginLsn().value())
                .setEndLsn(request.endLsn().value())
                .setCommitLsn(request.commitLsn().value())
                .setTruncateLsn(request.truncateLsn().value())
                .setWalData(request.walData())
                .build();
    }

    public static AppendRequest fromProto(io.xenondb.proto.wal.AppendRequest proto) {
        return new AppendRequest(
                timeline(proto.hasTenantTimelineId(), proto.getTenantTimelineId()),
                term(proto.getTerm()),
                Lsn.of(proto.getBeginLsn()),
                Lsn.of(proto.getEndLsn()),
                Lsn.of(proto.getCommitLsn()),
                Lsn.of(proto.getTruncateLsn()),
                proto.getWalData());
    }

    public static io.xenondb.proto.wal.AppendResponse toProto(AppendResponse response) {
        var builder = io.xenondb.proto.wal.AppendResponse.newBuilder()
                .setNodeId(response.nodeId().value())
                .setTerm(response.term().value())
                .setFlushLsn(response.flushLsn().value())
                .setCommitLsn(response.commitLsn().value());
        response.refusal().ifPresent(refusal -> builder.setRefusal(toProto(refusal)));
        return builder.build();
    }

    public static AppendResponse fromProto(io.xenondb.proto.wal.AppendResponse proto) {
        return new AppendResponse(
                nodeId(proto.getNodeId()),
                term(proto.getTerm()),
                Lsn.of(proto.getFlushLsn()),
                Lsn.of(proto.getCommitLsn()),
                proto.hasRefusal() ? Optional.of(fromProto(proto.getRefusal())) : Optional.empty());
    }

    public static io.xenondb.proto.wal.ReadWalRequest toProto(ReadWalRequest request) {
        return io.xenondb.proto.wal.ReadWalRequest.newBuilder()
                .setTenantTimelineId(request.timeline().toWalProto())
                .setStartLsn(request.startLsn().value())
                .setEndLsn(request.endLsn().value())
                .setRecoveryTerm(request.recoveryTerm().value())
                .build();
    }

    public static ReadWalRequest fromProto(io.xenondb.proto.wal.ReadWalRequest proto) {
        return new ReadWalRequest(
                timeline(proto.hasTenantTimelineId(), proto.getTenantTimelineId()),
                Lsn.of(proto.getStartLsn()),
                Lsn.of(proto.getEndLsn()),
                term(proto.getRecoveryTerm()));
    }

    public static ReadWalResponse toProto(ReadWalResult result) {
        return switch (result) {
            case WalChunk chunk ->
                ReadWalResponse.newBuilder()
                        .setChunk(io.xenondb.proto.wal.WalChunk.newBuilder()
                                .setBeginLsn(chunk.beginLsn().value())
                                .setWalData(chunk.walData())
                                .setCommitLsn(chunk.commitLsn().value()))
                        .build();
            case Refusal refusal ->
                ReadWalResponse.newBuilder().setRefusal(toProto(refusal)).build();
        };
    }

    public static ReadWalResult fromProto(ReadWalResponse proto) {
        return switch (proto.getKindCase()) {
            case CHUNK ->
                new WalChunk(
                        Lsn.of(proto.getChunk().getBeginLsn()),
                        proto.getChunk().getWalData(),
                        Lsn.of(proto.getChunk().getCommitLsn()));
            case REFUSAL -> fromProto(proto.getRefusal());
            default -> throw invalid("read_wal_response.kind", 0, "a chunk or a refusal");
        };
    }

    /** The consensus fields of GetTimelineStatus; the caller adds backup and storage-node positions. */
    public static GetTimelineStatusResponse.Builder toProto(TimelineStatus status) {
        return GetTimelineStatusResponse.newBuilder()
                .setNodeId(status.nodeId().value())
                .setTerm(status.term().value())
                .setLastLogTerm(status.lastLogTerm().value())
                .setTermHistory(toProto(status.termHistory()))
                .setFlushLsn(status.flushLsn().value())
                .setCommitLsn(status.commitLsn().value())
                .setTruncateLsn(status.truncateLsn().value())
                .setTimelineStartLsn(status.timelineStartLsn().value())
                .setLocalStartLsn(status.localStartLsn().value())
                .setPgVersion(status.serverInfo().pgVersion())
                .setSystemId(status.serverInfo().systemId())
                .setWalSegSize(status.serverInfo().walSegSize());
    }

    private static TenantTimelineId timeline(boolean present, io.xenondb.proto.wal.TenantTimelineId proto) {
        if (!present) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "tenant_timeline_id: missing (expected: tenant and timeline ids)");
        }
        return TenantTimelineId.fromProto(proto);
    }

    private static Term term(long value) {
        return Term.of(value);
    }

    private static NodeId nodeId(long value) {
        return NodeId.of(value);
    }

    private static XenonException invalid(String field, int value, String expected) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, field + ": " + value + " (expected: " + expected + ")");
    }
}
