package io.xenondb.walnode.consensus;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.message.AppendRequest;
import io.xenondb.walnode.consensus.message.ServerInfo;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Proposer} needs: the timeline, its fixed set of WAL nodes (quorum = n/2+1), who it is, and the
 * mode. {@link Mode#SYNC} (Neon's sync-safekeepers) elects, brings a quorum to the term start and reports it
 * as the LSN a new compute starts from; {@link Mode#COMPUTE} is the proposer of a running compute whose
 * PostgreSQL started from a basebackup at {@code startLsn}, which must turn out to be the term start.
 *
 * @param maxAppendBytes WAL bytes per append request
 * @param maxInflightBytes unacknowledged WAL bytes sent to one node before waiting for its acknowledgements
 * @param localBufferBytes new local WAL kept in memory for sending; older WAL is re-read on demand
 */
public record ProposerConfig(
        TenantTimelineId timeline,
        List<NodeId> nodes,
        String proposerId,
        ServerInfo serverInfo,
        boolean allowTimelineCreation,
        Lsn timelineStartLsn,
        Mode mode,
        Lsn startLsn,
        int maxAppendBytes,
        long maxInflightBytes,
        int localBufferBytes) {
    public static final int DEFAULT_MAX_INFLIGHT_BYTES = 4 * 1024 * 1024;
    public static final int DEFAULT_LOCAL_BUFFER_BYTES = 16 * 1024 * 1024;

    /** Neon's sync-safekeepers or a compute's proposer. */
    public enum Mode {
        SYNC,
        COMPUTE
    }

    public ProposerConfig {
        Objects.requireNonNull(timeline, "timeline");
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(serverInfo, "serverInfo");
        Objects.requireNonNull(timelineStartLsn, "timelineStartLsn");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(startLsn, "startLsn");
        proposerId = proposerId == null ? "" : proposerId;
        if (nodes.isEmpty() || new HashSet<>(nodes).size() != nodes.size()) {
            throw invalid("nodes: " + nodes + " (expected: at least one node, no duplicates)");
        }
        if ((mode == Mode.COMPUTE) != startLsn.isValid()) {
            throw invalid("start lsn: " + startLsn + " in mode " + mode
                    + " (expected: the basebackup lsn in COMPUTE mode, 0/0 in SYNC mode)");
        }
        if (maxAppendBytes < 1
                || maxAppendBytes > AppendRequest.MAX_WAL_BYTES
                || maxInflightBytes < maxAppendBytes
                || localBufferBytes < 0) {
            throw invalid("limits: append " + maxAppendBytes + ", in flight " + maxInflightBytes + ", buffer "
                    + localBufferBytes + " (expected: 1 <= append <= " + AppendRequest.MAX_WAL_BYTES
                    + " <= in flight, buffer >= 0)");
        }
    }

    public static ProposerConfig sync(
            TenantTimelineId timeline, List<NodeId> nodes, String proposerId, ServerInfo serverInfo) {
        return new ProposerConfig(
                timeline,
                nodes,
                proposerId,
                serverInfo,
                false,
                Lsn.INVALID,
                Mode.SYNC,
                Lsn.INVALID,
                AppendRequest.MAX_WAL_BYTES,
                DEFAULT_MAX_INFLIGHT_BYTES,
                DEFAULT_LOCAL_BUFFER_BYTES);
    }

    public static ProposerConfig compute(
            TenantTimelineId timeline, List<NodeId> nodes, String proposerId, ServerInfo serverInfo, Lsn startLsn) {
        return new ProposerConfig(
                timeline,
                nodes,
                proposerId,
                serverInfo,
                false,
                Lsn.INVALID,
                Mode.COMPUTE,
                startLsn,
                AppendRequest.MAX_WAL_BYTES,
                DEFAULT_MAX_INFLIGHT_BYTES,
                DEFAULT_LOCAL_BUFFER_BYTES);
    }

    /** The same, letting the greeting create the timeline on nodes that lack it, starting at {@code start}. */
    public ProposerConfig withTimelineCreation(Lsn start) {
        return new ProposerConfig(
                timeline,
                nodes,
                proposerId,
                serverInfo,
                true,
                start,
                mode,
                startLsn,
                maxAppendBytes,
                maxInflightBytes,
                localBufferBytes);
    }

    public ProposerConfig withLimits(int appendBytes, long inflightBytes, int bufferBytes) {
        return new ProposerConfig(
                timeline,
                nodes,
                proposerId,
                serverInfo,
                allowTimelineCreation,
                timelineStartLsn,
                mode,
                startLsn,
                appendBytes,
                inflightBytes,
                bufferBytes);
    }

    public int quorum() {
        return nodes.size() / 2 + 1;
    }

    public boolean isSync() {
        return mode == Mode.SYNC;
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, "proposer config " + message);
    }
}
