package io.xenondb.controller.service;

import io.xenondb.controller.nodes.WalNodeHttp;
import io.xenondb.controller.nodes.WalNodeSchedulingPolicy;
import io.xenondb.controller.store.WalNodeRepository;
import io.xenondb.controller.store.WalNodeRow;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * WAL node registration (Neon's safekeeper upsert), listing and scheduling policy, and the Active nodes a new
 * timeline may go to with their load. A node registers Activating and becomes Active once it answered {@code GET
 * /v1/status} with its id, at registration or, if it did not answer then, at the next placement (Neon's heartbeat
 * does this; the controller has no WAL-node heartbeat yet).
 */
public final class WalNodeService {
    private static final Logger LOG = LoggerFactory.getLogger(WalNodeService.class);

    private final WalNodeRepository nodes;
    private final R2dbcEntityTemplate template;
    private final WalNodeHttp http;

    public WalNodeService(WalNodeRepository nodes, R2dbcEntityTemplate template, WalNodeHttp http) {
        this.nodes = nodes;
        this.template = template;
        this.http = http;
    }

    /** Inserts or updates a node (its scheduling policy is kept on update), then tries to activate it. */
    public Mono<WalNodeRow> register(long pathId, WalNodeRegistration registration) {
        if (registration.id() != pathId) {
            return Mono.error(new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "id: " + registration.id() + " (expected: " + pathId + ", the id of the path)"));
        }
        return nodes.findById(pathId)
                .flatMap(existing -> {
                    WalNodeRow updated = registration.update(existing);
                    return updated.equals(existing) ? Mono.just(existing) : nodes.save(updated);
                })
                .switchIfEmpty(Mono.defer(() -> template.insert(registration.toNewRow())))
                .doOnNext(row -> LOG.info("WAL node {} registered at {}", row.id(), row.httpBase()))
                .flatMap(this::activate);
    }

    /** An Activating node that answers with its own id becomes Active; any other node is returned as it is. */
    Mono<WalNodeRow> activate(WalNodeRow node) {
        if (!WalNodeSchedulingPolicy.Activating.name().equals(node.schedulingPolicy())) {
            return Mono.just(node);
        }
        return http.nodeId(node)
                .flatMap(id -> {
                    if (id != node.id()) {
                        LOG.warn(
                                "WAL node {} at {} says it is node {}: left Activating",
                                node.id(),
                                node.httpBase(),
                                id);
                        return Mono.just(node);
                    }
                    LOG.info("WAL node {} answered: Active", node.id());
                    return nodes.save(node.withSchedulingPolicy(WalNodeSchedulingPolicy.Active.name()));
                })
                .onErrorResume(XenonException.class, e -> {
                    LOG.warn("WAL node {} did not answer, left Activating: {}", node.id(), e.getMessage());
                    return Mono.just(node);
                });
    }

    public Flux<WalNodeRow> list() {
        return nodes.findAllByOrderByIdAsc();
    }

    public Mono<WalNodeRow> get(long id) {
        return nodes.findById(id)
                .switchIfEmpty(Mono.error(() -> new XenonException(
                        ErrorCode.NOT_FOUND, "WAL node " + id + ": not registered (see GET /control/v1/safekeeper)")));
    }

    /** Stores a node's scheduling policy. */
    public Mono<WalNodeRow> setPolicy(long id, WalNodePolicyUpdate update) {
        return get(id).flatMap(node -> {
            String policy = update.schedulingPolicy().name();
            if (policy.equals(node.schedulingPolicy())) {
                return Mono.just(node);
            }
            LOG.info("WAL node {}: scheduling policy {} -> {}", id, node.schedulingPolicy(), policy);
            return nodes.save(node.withSchedulingPolicy(policy));
        });
    }

    /** Whether any WAL node is registered at all (without any, timelines live on storage nodes only). */
    public Mono<Boolean> anyRegistered() {
        return nodes.count().map(n -> n > 0);
    }

    /** The nodes new timelines may go to (Activating ones are tried first), with how many timelines each holds. */
    public Mono<List<WalPlacement.Candidate>> candidates() {
        Mono<Map<Long, Long>> loads = template.getDatabaseClient()
                .sql("SELECT id, count(*) AS n FROM timelines, unnest(wal_node_ids) AS id GROUP BY id")
                .map((row, meta) -> Map.entry(row.get("id", Long.class), row.get("n", Long.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
        return nodes.findAllByOrderByIdAsc()
                .flatMap(this::activate)
                .filter(n -> WalNodeSchedulingPolicy.Active.name().equals(n.schedulingPolicy()))
                .collectList()
                .zipWith(
                        loads,
                        (active, load) -> active.stream()
                                .map(n -> new WalPlacement.Candidate(
                                        n.id(), n.availabilityZoneId(), load.getOrDefault(n.id(), 0L)))
                                .toList());
    }

    /** Neon's {@code SafekeeperDescribeResponse}. */
    public Map<String, Object> describe(WalNodeRow node) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", node.id());
        body.put("region_id", node.regionId());
        body.put("version", node.version());
        body.put("host", node.host());
        body.put("port", node.port());
        body.put("http_port", node.httpPort());
        body.put("https_port", node.httpsPort());
        body.put("availability_zone_id", node.availabilityZoneId());
        body.put("scheduling_policy", node.schedulingPolicy());
        return body;
    }
}
