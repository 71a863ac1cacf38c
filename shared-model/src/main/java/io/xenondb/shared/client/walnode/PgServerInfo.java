package io.xenondb.shared.client.walnode;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The PostgreSQL cluster of a timeline (Neon's ServerInfo): version number, system id (0 = unknown), segment size. */
public record PgServerInfo(
        @JsonProperty("pg_version") int pgVersion,
        @JsonProperty("system_id") long systemId,
        @JsonProperty("wal_seg_size") int walSegSize) {}
