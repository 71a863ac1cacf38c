package io.xenondb.shared.client.walnode;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;

/** What a node knows of a peer WAL node of the same timeline (Neon's PeerInfo). */
public record PeerInfo(
        @JsonProperty("sk_id") NodeId skId,
        @JsonProperty("term") Term term,
        @JsonProperty("last_log_term") Term lastLogTerm,
        @JsonProperty("flush_lsn") Lsn flushLsn,
        @JsonProperty("commit_lsn") Lsn commitLsn,
        @JsonProperty("local_start_lsn") Lsn localStartLsn,
        @JsonProperty("pg_connstr") String pgConnstr,
        @JsonProperty("http_connstr") String httpConnstr) {}
