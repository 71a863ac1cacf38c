package io.xenondb.controller.service;

import io.xenondb.controller.nodes.NodeAnswer;
import io.xenondb.controller.nodes.StorageNodeHttp;
import io.xenondb.controller.service.WalTimelines.WalSet;
import io.xenondb.controller.store.TimelineRow;
import io.xenondb.shared.client.storagenode.TimelineCreateRequest;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Timelines, served by the tenant's storage node and, once WAL nodes are registered, by a set of WAL nodes
 * ({@link WalPlacement}). Requests are checked here and passed on; the answer is the storage node's
 * {@code TimelineInfo}, plus Neon's {@code safekeepers} when the timeline has WAL nodes. The controller keeps a
 * row per timeline it created, with its WAL-node set.
 */
public final class TimelineService {
    private static final Logger LOG = LoggerFactory.getLogger(TimelineService.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration DELETE_POLL = Duration.ofMillis(200);
    private static final int DELETE_POLLS = 125; // ~25 s, as Neon's controller waits

    private final TenantService tenants;
    private final StorageNodeHttp http;
    private final R2dbcEntityTemplate template;
    private final WalNodeService walNodes;
    private final WalTimelines walTimelines;

    public TimelineService(
            TenantService tenants,
            StorageNodeHttp http,
            R2dbcEntityTemplate template,
            WalNodeService walNodes,
            WalTimelines walTimelines) {
        this.tenants = tenants;
        this.http = http;
        this.template = template;
        this.walNodes = walNodes;
        this.walTimelines = walTimelines;
    }

    /**
     * Creates the timeline on the tenant's storage node, then on its WAL nodes: the set it already has (a repeated
     * create), else a new one. The set is chosen before the storage node is called, so a refusal (too few Active
     * WAL nodes) changes nothing; the row is written only once a quorum of the set has the timeline. With no WAL
     * node registered at all the timeline lives on the storage node only.
     */
    public Mono<NodeAnswer> create(TenantId tenant, TimelineCreateRequest request) {
        TenantTimelineId id = new TenantTimelineId(tenant, request.newTimelineId());
        return tenants.shard(tenant)
                .flatMap(tenants::attachedNode)
                .flatMap(node -> walSetFor(id)
                        .flatMap(set -> http.call(
                                        node,
                                        HttpMethod.POST,
                                        "/v1/tenant/" + tenant + "/timeline",
                                        JSON.writeValueAsString(request))
                                .map(answer -> {
                                    if (!answer.isSuccess()) {
                                        throw StorageNodeHttp.failure(node, answer);
                                    }
                                    return answer;
                                })
                                .flatMap(answer -> onWalNodes(id, set, answer)
                                        .then(remember(id, request, answer, set))
                                        .thenReturn(respond(id, set, answer)))));
    }

    /** The set of an existing row, a new placement, or none (no WAL node registered). */
    private Mono<Optional<WalSet>> walSetFor(TenantTimelineId id) {
        return walNodes.anyRegistered().flatMap(any -> {
            if (!any) {
                return Mono.just(Optional.<WalSet>empty());
            }
            return row(id).filter(r -> !r.walNodeIds().isEmpty())
                    .flatMap(r -> walTimelines.existing(r.walNodeIds(), r.walNodeGeneration()))
                    .switchIfEmpty(Mono.defer(() -> walTimelines.place(id)))
                    .map(Optional::of);
        });
    }

    private Mono<Void> onWalNodes(TenantTimelineId id, Optional<WalSet> set, NodeAnswer answer) {
        if (set.isEmpty()) {
            return Mono.empty();
        }
        JsonNode info = JSON.readTree(answer.body());
        // A compute's first basebackup is at the storage node's last record LSN: the WAL nodes' WAL starts there.
        String lastRecord = text(info, "last_record_lsn");
        if (lastRecord == null) {
            return Mono.error(new XenonException(
                    ErrorCode.UNAVAILABLE,
                    "timeline " + id + ": the storage node's TimelineInfo has no last_record_lsn (expected: X/X)"));
        }
        Lsn start = Lsn.parse(lastRecord);
        int pgVersion = info.path("pg_version").asInt();
        return walTimelines.create(id, set.get(), pgVersion, start);
    }

    private static NodeAnswer respond(TenantTimelineId id, Optional<WalSet> set, NodeAnswer answer) {
        if (set.isEmpty()) {
            return answer;
        }
        ObjectNode info = (ObjectNode) JSON.readTree(answer.body());
        info.set("safekeepers", JSON.valueToTree(set.get().describe(id)));
        return new NodeAnswer(answer.status(), JSON.writeValueAsString(info));
    }

    /** Inserts the timeline's row, or gives an existing row without a set the new one. */
    private Mono<Void> remember(
            TenantTimelineId id, TimelineCreateRequest request, NodeAnswer answer, Optional<WalSet> set) {
        JsonNode info = JSON.readTree(answer.body());
        String start = request.isBranch()
                ? text(info, "ancestor_lsn")
                : text(info, "initdb_lsn") != null ? text(info, "initdb_lsn") : text(info, "last_record_lsn");
        Long[] ids = set.map(s -> s.ids().toArray(Long[]::new)).orElse(new Long[0]);
        int generation = set.map(WalSet::generation).orElse(0);
        var sql = template.getDatabaseClient()
                .sql("""
                        INSERT INTO timelines (tenant_id, timeline_id, ancestor_timeline_id, start_lsn, wal_node_ids,
                                               wal_node_generation)
                        VALUES (:tenant, :timeline, :ancestor, :start, :ids, :generation)
                        ON CONFLICT (tenant_id, timeline_id) DO UPDATE
                            SET wal_node_ids = EXCLUDED.wal_node_ids, wal_node_generation = EXCLUDED.wal_node_generation
                            WHERE cardinality(timelines.wal_node_ids) = 0""")
                .bind("tenant", id.tenantId().toString())
                .bind("timeline", id.timelineId().toString())
                .bind("ids", ids)
                .bind("generation", generation);
        sql = request.ancestorTimelineId() == null
                ? sql.bindNull("ancestor", String.class)
                : sql.bind("ancestor", request.ancestorTimelineId().toString());
        sql = start == null ? sql.bindNull("start", String.class) : sql.bind("start", start);
        return sql.then().doOnSuccess(v -> LOG.info("timeline {} created, WAL nodes {}", id, List.of(ids)));
    }

    /** {@code GET /v1/tenant/{id}/timeline} or {@code .../timeline/{tl}} on the tenant's node. */
    public Mono<NodeAnswer> get(TenantId tenant, String subPath) {
        return tenants.shard(tenant)
                .flatMap(tenants::attachedNode)
                .flatMap(node -> http.expectSuccess(node, HttpMethod.GET, "/v1/tenant/" + tenant + subPath, null))
                .map(body -> new NodeAnswer(200, body));
    }

    /**
     * Deletes the timeline on its WAL nodes first (repeatable: an absent timeline is no error there), then on the
     * storage node, waits until it is gone there (404), then drops its row.
     */
    public Mono<Void> delete(TenantId tenant, TimelineId timeline) {
        TenantTimelineId id = new TenantTimelineId(tenant, timeline);
        String path = "/v1/tenant/" + tenant + "/timeline/" + timeline;
        return tenants.shard(tenant)
                .flatMap(tenants::attachedNode)
                .flatMap(node -> row(id).flatMap(r -> walTimelines.delete(id, r.walNodeIds()))
                        .then(http.expectSuccess(node, HttpMethod.DELETE, path, null))
                        .then(http.call(node, HttpMethod.GET, path, null)
                                .flatMap(answer -> answer.status() == 404
                                        ? Mono.just(answer)
                                        : Mono.error(new XenonException(
                                                ErrorCode.UNAVAILABLE,
                                                "timeline " + timeline + ": still being deleted on storage node "
                                                        + node.nodeId())))
                                .retryWhen(reactor.util.retry.Retry.fixedDelay(DELETE_POLLS, DELETE_POLL))
                                .onErrorMap(
                                        reactor.core.Exceptions::isRetryExhausted,
                                        e -> e.getCause() == null ? e : e.getCause())))
                .then(template.delete(Query.query(where(id)), TimelineRow.class))
                .then();
    }

    /** Deletes the tenant on every WAL node holding one of its timelines (before its rows go). */
    public Mono<Void> deleteOnWalNodes(TenantId tenant) {
        return template.select(TimelineRow.class)
                .matching(Query.query(Criteria.where("tenant_id").is(tenant.toString())))
                .all()
                .flatMapIterable(TimelineRow::walNodeIds)
                .distinct()
                .collectList()
                .flatMap(ids -> ids.isEmpty() ? Mono.empty() : walTimelines.deleteTenant(tenant, ids));
    }

    private Mono<TimelineRow> row(TenantTimelineId id) {
        return template.selectOne(Query.query(where(id)), TimelineRow.class);
    }

    private static Criteria where(TenantTimelineId id) {
        return Criteria.where("tenant_id")
                .is(id.tenantId().toString())
                .and("timeline_id")
                .is(id.timelineId().toString());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
