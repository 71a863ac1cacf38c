package io.xenondb.controller.service;

import io.xenondb.controller.nodes.NodeAnswer;
import io.xenondb.controller.nodes.StorageNodeHttp;
import io.xenondb.controller.store.TimelineRow;
import io.xenondb.shared.client.storagenode.TimelineCreateRequest;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TimelineId;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Timelines, served by the tenant's storage node: requests are checked here, passed on, and the node's answer
 * (Neon's {@code TimelineInfo}) is returned as it is. The controller keeps a row per timeline it created.
 */
public final class TimelineService {
    private static final Logger LOG = LoggerFactory.getLogger(TimelineService.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration DELETE_POLL = Duration.ofMillis(200);
    private static final int DELETE_POLLS = 125; // ~25 s, as Neon's controller waits

    private final TenantService tenants;
    private final StorageNodeHttp http;
    private final R2dbcEntityTemplate template;

    public TimelineService(TenantService tenants, StorageNodeHttp http, R2dbcEntityTemplate template) {
        this.tenants = tenants;
        this.http = http;
        this.template = template;
    }

    /** Creates the timeline on the tenant's node; the node's TimelineInfo. */
    public Mono<NodeAnswer> create(TenantId tenant, TimelineCreateRequest request) {
        String path = "/v1/tenant/" + tenant + "/timeline";
        return tenants.shard(tenant)
                .flatMap(tenants::attachedNode)
                .flatMap(node -> http.call(node, HttpMethod.POST, path, JSON.writeValueAsString(request))
                        .map(answer -> {
                            if (!answer.isSuccess()) {
                                throw StorageNodeHttp.failure(node, answer);
                            }
                            return answer;
                        }))
                .flatMap(answer -> remember(tenant, request, answer).thenReturn(answer));
    }

    private Mono<Void> remember(TenantId tenant, TimelineCreateRequest request, NodeAnswer answer) {
        JsonNode info = JSON.readTree(answer.body());
        String start = request.isBranch()
                ? text(info, "ancestor_lsn")
                : text(info, "initdb_lsn") != null ? text(info, "initdb_lsn") : text(info, "last_record_lsn");
        TimelineRow row = new TimelineRow(
                tenant.toString(),
                request.newTimelineId().toString(),
                request.ancestorTimelineId() == null
                        ? null
                        : request.ancestorTimelineId().toString(),
                start);
        return template.insert(row)
                .doOnSuccess(r -> LOG.info("timeline {}/{} created", tenant, request.newTimelineId()))
                // Creating an existing timeline again is answered by the node as success; the row is there.
                .onErrorResume(DuplicateKeyException.class, e -> Mono.empty())
                .then();
    }

    /** {@code GET /v1/tenant/{id}/timeline} or {@code .../timeline/{tl}} on the tenant's node. */
    public Mono<NodeAnswer> get(TenantId tenant, String subPath) {
        return tenants.shard(tenant)
                .flatMap(tenants::attachedNode)
                .flatMap(node -> http.expectSuccess(node, HttpMethod.GET, "/v1/tenant/" + tenant + subPath, null))
                .map(body -> new NodeAnswer(200, body));
    }

    /** Deletes the timeline on the node, waits until it is gone there (404), then drops its row. */
    public Mono<Void> delete(TenantId tenant, TimelineId timeline) {
        String path = "/v1/tenant/" + tenant + "/timeline/" + timeline;
        return tenants.shard(tenant)
                .flatMap(tenants::attachedNode)
                .flatMap(node -> http.expectSuccess(node, HttpMethod.DELETE, path, null)
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
                .then(template.delete(
                        Query.query(Criteria.where("tenant_id")
                                .is(tenant.toString())
                                .and("timeline_id")
                                .is(timeline.toString())),
                        TimelineRow.class))
                .then();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
