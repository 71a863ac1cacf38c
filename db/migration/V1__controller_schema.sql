-- The storage controller's durable truth (Neon's storage_controller schema, trimmed to what Xenon uses).
-- Attachments are not stored: the controller observes them from the nodes at start.

-- Storage nodes (Neon's pageservers).
CREATE TABLE nodes (
    node_id               BIGINT PRIMARY KEY CHECK (node_id >= 0),
    listen_http_addr      TEXT    NOT NULL,
    listen_http_port      INTEGER NOT NULL CHECK (listen_http_port BETWEEN 1 AND 65535),
    listen_pg_addr        TEXT    NOT NULL,
    listen_pg_port        INTEGER NOT NULL CHECK (listen_pg_port BETWEEN 1 AND 65535),
    listen_grpc_addr      TEXT,
    listen_grpc_port      INTEGER CHECK (listen_grpc_port BETWEEN 1 AND 65535),
    availability_zone_id  TEXT    NOT NULL,
    -- Active, Filling, Pause, PauseForRestart, Draining, Deleting
    scheduling_policy     TEXT    NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE tenants (
    tenant_id   TEXT PRIMARY KEY CHECK (tenant_id ~ '^[0-9a-f]{32}$'),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per shard; an unsharded tenant has one with shard_count 0 and tenant_shard_id = tenant_id.
CREATE TABLE tenant_shards (
    tenant_shard_id     TEXT    PRIMARY KEY,
    tenant_id           TEXT    NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
    shard_number        INTEGER NOT NULL CHECK (shard_number >= 0),
    shard_count         INTEGER NOT NULL CHECK (shard_count >= 0),
    stripe_size         BIGINT  NOT NULL CHECK (stripe_size > 0),
    -- Bumped and stored before every attach; a storage node holds at most this one.
    generation          BIGINT  NOT NULL CHECK (generation BETWEEN 0 AND 4294967294),
    -- The node the current generation was issued to.
    generation_node_id  BIGINT  REFERENCES nodes (node_id),
    -- JSON: {"Attached": n} | "Secondary" | "Detached"
    placement_policy    TEXT    NOT NULL,
    -- JSON: the tenant's settings (Neon's TenantConfig)
    config              TEXT    NOT NULL,
    -- Active, Essential, Pause, Stop
    scheduling_policy   TEXT    NOT NULL,
    preferred_az_id     TEXT,
    splitting           SMALLINT NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, shard_number, shard_count)
);
CREATE INDEX tenant_shards_generation_node ON tenant_shards (generation_node_id);

-- WAL nodes (Neon's safekeepers).
CREATE TABLE wal_nodes (
    id                    BIGINT  PRIMARY KEY CHECK (id >= 0),
    region_id             TEXT    NOT NULL,
    version               BIGINT  NOT NULL,
    host                  TEXT    NOT NULL,
    port                  INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    http_port             INTEGER NOT NULL CHECK (http_port BETWEEN 1 AND 65535),
    https_port            INTEGER CHECK (https_port BETWEEN 1 AND 65535),
    availability_zone_id  TEXT    NOT NULL,
    -- Active, Activating, Pause, Decomissioned
    scheduling_policy     TEXT    NOT NULL DEFAULT 'Activating'
);

CREATE TABLE timelines (
    tenant_id             TEXT   NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
    timeline_id           TEXT   NOT NULL CHECK (timeline_id ~ '^[0-9a-f]{32}$'),
    ancestor_timeline_id  TEXT,
    -- LSN text X/X: where the timeline starts (its branch point, or initdb's end)
    start_lsn             TEXT,
    -- The WAL nodes of the timeline and the generation of that set (Neon's sk_set); empty until placed.
    wal_node_ids          BIGINT[] NOT NULL DEFAULT '{}',
    wal_node_generation   INTEGER  NOT NULL DEFAULT 0,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, timeline_id)
);
