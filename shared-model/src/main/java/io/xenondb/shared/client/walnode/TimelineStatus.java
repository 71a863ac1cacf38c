package io.xenondb.shared.client.walnode;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/tenant/{tenant_id}/timeline/{timeline_id}}: a timeline on one WAL node (Neon's TimelineStatus).
 * Positions are in-memory values, possibly ahead of the last checkpoint of the control file.
 */
public record TimelineStatus(
        @JsonProperty("tenant_id") TenantId tenantId,
        @JsonProperty("timeline_id") TimelineId timelineId,
        @JsonProperty("mconf") MembershipConfiguration mconf,
        @JsonProperty("acceptor_state") AcceptorState acceptorState,
        @JsonProperty("pg_info") PgServerInfo pgInfo,
        @JsonProperty("flush_lsn") Lsn flushLsn,
        @JsonProperty("timeline_start_lsn") Lsn timelineStartLsn,
        @JsonProperty("local_start_lsn") Lsn localStartLsn,
        @JsonProperty("commit_lsn") Lsn commitLsn,
        @JsonProperty("backup_lsn") Lsn backupLsn,
        @JsonProperty("peer_horizon_lsn") Lsn peerHorizonLsn,
        @JsonProperty("remote_consistent_lsn") Lsn remoteConsistentLsn,
        @JsonProperty("peers") List<PeerInfo> peers,
        @JsonProperty("walsenders") List<Map<String, Object>> walsenders,
        @JsonProperty("walreceivers") List<WalReceiverState> walreceivers) {
    public TimelineStatus {
        peers = peers == null ? List.of() : List.copyOf(peers);
        walsenders = walsenders == null ? List.of() : List.copyOf(walsenders);
        walreceivers = walreceivers == null ? List.of() : List.copyOf(walreceivers);
    }

    public TenantTimelineId timeline() {
        return new TenantTimelineId(tenantId, timelineId);
    }
}
