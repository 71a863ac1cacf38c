package io.xenondb.controller.service;

import io.xenondb.controller.nodes.NodeAvailability;
import io.xenondb.controller.nodes.ObservedState;
import io.xenondb.controller.nodes.StorageNodeHttp;
import io.xenondb.controller.store.NodeRepository;
import io.xenondb.controller.store.NodeRow;
import io.xenondb.controller.store.TenantShardRepository;
import io.xenondb.controller.store.TenantShardRow;
import io.xenondb.shared.client.storagenode.LocationConfig;
import io.xenondb.shared.client.storagenode.LocationConfigMode;
import io.xenondb.shared.client.storagenode.TenantConf;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The storage nodes' upcalls (Neon's {@code /upcall/v1}): re-attach, which issues a restarted node the next
 * generation of every shard whose generation belongs to it, and validate, which tells a node whether the
 * generation it holds is still the newest (it may delete objects in remote storage only then).
 */
public final class Generations {
    private static final Logger LOG = LoggerFactory.getLogger(Generations.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TenantShardRepository shards;
    private final NodeRepository nodes;
    private final R2dbcEntityTemplate template;
    private final ObservedState observed;
    private final ControllerMetrics metrics;

    public Generations(
            TenantShardRepository shards,
            NodeRepository nodes,
            R2dbcEntityTemplate template,
            ObservedState observed,
            ControllerMetrics metrics) {
        this.shards = shards;
        this.nodes = nodes;
        this.template = template;
        this.observed = observed;
        this.metrics = metrics;
    }

    /**
     * Neon's {@code ReAttachResponse}: registers the node if asked, bumps (and stores, before answering) the
     * generation of every shard that belongs to it, and answers them AttachedSingle. The node is recorded as
     * holding exactly these in their new generations: it drops every other shard it has.
     */
    public Mono<Map<String, Object>> reAttach(ReAttachRequest request) {
        long nodeId = request.nodeId();
        Mono<NodeRow> node = request.register() != null
                ? upsert(request.register())
                : nodes.findById(nodeId)
                        .switchIfEmpty(Mono.error(() -> new XenonException(
                                ErrorCode.NOT_FOUND,
                                "node " + nodeId + ": not registered (register it with POST /control/v1/node, or"
                                        + " send \"register\" with the re-attach)")));
        return node.flatMapMany(n -> shards.incrementGenerationsOf(nodeId))
                .collectList()
                .map(bumped -> {
                    List<StorageNodeHttp.Held> held = new ArrayList<>();
                    List<Map<String, Object>> tenants = new ArrayList<>();
                    for (TenantShardRow shard : bumped) {
                        LocationConfig config = location(shard);
                        held.add(new StorageNodeHttp.Held(TenantShardId.parse(shard.tenantShardId()), config));
                        tenants.add(answer(shard, config));
                    }
                    // It asked, so it is up; what it holds from now on is exactly this answer.
                    observed.nodeHolds(nodeId, held);
                    observed.setAvailability(nodeId, NodeAvailability.Active);
                    LOG.info(
                            "storage node {} re-attached{}: {} tenant shard(s) in new generations",
                            nodeId,
                            Boolean.TRUE.equals(request.emptyLocalDisk()) ? " with an empty local disk" : "",
                            bumped.size());
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("tenants", tenants);
                    return body;
                })
                .flatMap(body -> metrics.refresh().thenReturn(body));
    }

    /** Neon's {@code ValidateResponse}: valid iff the generation is the stored one; an unknown shard is invalid. */
    public Mono<Map<String, Object>> validate(ValidateRequest request) {
        return Flux.fromIterable(request.tenants())
                .concatMap(t -> shards.findById(t.id().toString())
                        .map(row -> row.generation() == t.gen())
                        .defaultIfEmpty(false)
                        .map(valid -> {
                            Map<String, Object> answer = new LinkedHashMap<>();
                            answer.put("id", t.id().toString());
                            answer.put("valid", valid);
                            return answer;
                        }))
                .collectList()
                .map(list -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("tenants", list);
                    return body;
                });
    }

    /**
     * Stores the node's registration; a node already registered keeps its scheduling policy unless the request
     * names one (a restart must not end a drain). Its availability is set by the caller.
     */
    private Mono<NodeRow> upsert(NodeRegistration registration) {
        NodeRow row = registration.toRow();
        return nodes.findById(row.nodeId())
                .flatMap(existing -> {
                    NodeRow updated = registration.scheduling() == null
                            ? row.withSchedulingPolicy(existing.schedulingPolicy())
                            : row;
                    return updated.equals(existing) ? Mono.just(existing) : nodes.save(updated);
                })
                .switchIfEmpty(Mono.defer(() -> template.insert(row)))
                .doOnNext(saved -> LOG.info("storage node {} registered at {}", saved.nodeId(), saved.httpBase()));
    }

    private static LocationConfig location(TenantShardRow shard) {
        return new LocationConfig(
                LocationConfigMode.AttachedSingle,
                shard.generation(),
                null,
                shard.shardNumber(),
                shard.shardCount(),
                shard.stripeSize(),
                JSON.readValue(shard.config(), TenantConf.class));
    }

    /** Neon's {@code ReAttachResponseTenant}, plus the tenant's settings ({@code config}, a Xenon extension). */
    private static Map<String, Object> answer(TenantShardRow shard, LocationConfig config) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", shard.tenantShardId());
        t.put("gen", shard.generation());
        t.put("mode", config.mode().name());
        t.put("stripe_size", shard.stripeSize());
        t.put("config", config.tenantConf());
        return t;
    }
}
