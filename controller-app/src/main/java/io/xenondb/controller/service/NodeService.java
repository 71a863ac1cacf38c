package io.xenondb.controller.service;

import io.xenondb.controller.nodes.NodeAvailability;
import io.xenondb.controller.nodes.ObservedState;
import io.xenondb.controller.nodes.StorageNodeHttp;
import io.xenondb.controller.store.NodeRepository;
import io.xenondb.controller.store.NodeRow;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Storage node registration, listing and configuration; availability comes from contacting the node. */
public final class NodeService {
    private static final Logger LOG = LoggerFactory.getLogger(NodeService.class);

    private final NodeRepository nodes;
    private final R2dbcEntityTemplate template;
    private final StorageNodeHttp http;
    private final ObservedState observed;
    private final ControllerMetrics metrics;

    public NodeService(
            NodeRepository nodes,
            R2dbcEntityTemplate template,
            StorageNodeHttp http,
            ObservedState observed,
            ControllerMetrics metrics) {
        this.nodes = nodes;
        this.template = template;
        this.http = http;
        this.observed = observed;
        this.metrics = metrics;
    }

    /**
     * Registers a node, or updates the addresses of a registered one (a node re-registers at every start), then
     * reads what it holds; a node that does not answer is registered Offline.
     */
    public Mono<NodeRow> register(NodeRegistration registration) {
        NodeRow row = registration.toRow();
        return nodes.findById(row.nodeId())
                .flatMap(existing -> existing.equals(row) ? Mono.just(existing) : nodes.save(row))
                .switchIfEmpty(Mono.defer(() -> template.insert(row)))
                .flatMap(saved -> observe(saved).thenReturn(saved))
                .doOnNext(saved -> LOG.info("storage node {} registered at {}", saved.nodeId(), saved.httpBase()))
                .flatMap(saved -> metrics.refresh().thenReturn(saved));
    }

    /** Reads what a node holds into the observed state; marks it Active, or Offline if it does not answer. */
    public Mono<Void> observe(NodeRow node) {
        return http.locationConfigs(node)
                .doOnNext(held -> {
                    observed.nodeHolds(node.nodeId(), held);
                    observed.setAvailability(node.nodeId(), NodeAvailability.Active);
                })
                .onErrorResume(e -> {
                    LOG.warn("storage node {} is Offline: {}", node.nodeId(), e.getMessage());
                    observed.setAvailability(node.nodeId(), NodeAvailability.Offline);
                    return Mono.empty();
                })
                .then();
    }

    public Flux<NodeRow> list() {
        return nodes.findAllByOrderByNodeIdAsc();
    }

    public Mono<NodeRow> get(long nodeId) {
        return nodes.findById(nodeId)
                .switchIfEmpty(Mono.error(() -> new XenonException(
                        ErrorCode.NOT_FOUND, "node " + nodeId + ": not registered (see GET /control/v1/node)")));
    }

    /** Sets a node's scheduling policy (persisted) and availability (observed state). */
    public Mono<NodeRow> configure(long nodeId, NodeConfigUpdate update) {
        if (update.nodeId() != null && update.nodeId() != nodeId) {
            return Mono.error(new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "node_id: " + update.nodeId() + " (expected: " + nodeId + ", the node of the path)"));
        }
        return get(nodeId)
                .flatMap(node -> update.scheduling() == null
                        ? Mono.just(node)
                        : nodes.save(
                                node.withSchedulingPolicy(update.scheduling().name())))
                .doOnNext(node -> {
                    if (update.availability() != null) {
                        observed.setAvailability(nodeId, update.availability());
                    }
                })
                .flatMap(node -> metrics.refresh().thenReturn(node));
    }

    /** Neon's node description ({@code NodeDescribeResponse}). */
    public Map<String, Object> describe(NodeRow node) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", node.nodeId());
        body.put("availability", observed.availability(node.nodeId()).name());
        body.put("scheduling", node.schedulingPolicy());
        body.put("availability_zone_id", node.availabilityZoneId());
        body.put("listen_http_addr", node.listenHttpAddr());
        body.put("listen_http_port", node.listenHttpPort());
        body.put("listen_pg_addr", node.listenPgAddr());
        body.put("listen_pg_port", node.listenPgPort());
        body.put("listen_grpc_addr", node.listenGrpcAddr());
        body.put("listen_grpc_port", node.listenGrpcPort());
        return body;
    }
}
