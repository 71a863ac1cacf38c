package io.xenondb.controller.service;

import io.xenondb.controller.nodes.WalNodeHttp;
import io.xenondb.controller.nodes.WalNodeSchedulingPolicy;
import io.xenondb.controller.store.WalNodeRepository;
import io.xenondb.controller.store.WalNodeRow;
import io.xenondb.shared.client.walnode.MembershipConfiguration;
import io.xenondb.shared.client.walnode.SafekeeperMember;
import io.xenondb.shared.client.walnode.TimelineCreateRequest;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The WAL-node side of timelines: choosing a new timeline's set, creating it there (a quorum must succeed) and
 * deleting timelines and tenants there.
 */
public final class WalTimelines {
    private static final Logger LOG = LoggerFactory.getLogger(WalTimelines.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Neon's first generation of a timeline's safekeeper set (0 means "before generations"). */
    public static final int FIRST_GENERATION = 1;

    /**
     * A timeline's WAL-node set: its ids, the generation of the set, and the nodes of it still registered (a node
     * removed from the registry counts as one that did not answer).
     */
    public record WalSet(List<Long> ids, int generation, List<WalNodeRow> nodes) {
        public WalSet {
            ids = List.copyOf(ids);
            nodes = List.copyOf(nodes);
        }

        /** Neon's {@code SafekeepersInfo} of a timeline create response. */
        public Map<String, Object> describe(TenantTimelineId timeline) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("tenant_id", timeline.tenantId().toString());
            body.put("timeline_id", timeline.timelineId().toString());
            body.put("generation", generation);
            body.put(
                    "safekeepers",
                    nodes.stream()
                            .map(n -> Map.<String, Object>of("id", n.id(), "hostname", n.host()))
                            .toList());
            return body;
        }
    }

    private final WalNodeService walNodes;
    private final WalNodeRepository rows;
    private final WalNodeHttp http;

    public WalTimelines(WalNodeService walNodes, WalNodeRepository rows, WalNodeHttp http) {
        this.walNodes = walNodes;
        this.rows = rows;
        this.http = http;
    }

    /** The stored set {@code ids} of {@code generation}. */
    public Mono<WalSet> existing(List<Long> ids, int generation) {
        return known(ids).map(nodes -> new WalSet(ids, generation, nodes));
    }

    /** A new set for a timeline: {@link WalPlacement} over the Active nodes; UNAVAILABLE if too few. */
    public Mono<WalSet> place(TenantTimelineId timeline) {
        return walNodes.candidates().flatMap(candidates -> {
            List<Long> chosen = WalPlacement.choose(candidates).stream()
                    .map(WalPlacement.Candidate::id)
                    .toList();
            return known(chosen).map(nodes -> {
                LOG.info("timeline {}: placed on WAL nodes {}", timeline, chosen);
                return new WalSet(chosen, FIRST_GENERATION, nodes);
            });
        });
    }

    /** The registered nodes of {@code ids}, in that order; ids no longer registered are left out. */
    public Mono<List<WalNodeRow>> known(List<Long> ids) {
        return rows.findAllById(ids).collectList().map(found -> {
            List<WalNodeRow> ordered = new ArrayList<>(found);
            ordered.sort(Comparator.comparingInt(n -> ids.indexOf(n.id())));
            return ordered;
        });
    }

    /**
     * Creates the timeline on every node of the set with its WAL starting at {@code startLsn}; completes once a
     * quorum of the set did, else fails UNAVAILABLE naming the failures.
     *
     * @param pgVersion the storage node's {@code pg_version}: a major version (17) or a server_version_num
     */
    public Mono<Void> create(TenantTimelineId timeline, WalSet set, int pgVersion, Lsn startLsn) {
        int serverVersion = pgVersion < 1_000 ? pgVersion * 10_000 : pgVersion;
        MembershipConfiguration mconf = new MembershipConfiguration(
                set.generation(),
                set.nodes().stream()
                        .map(n -> new SafekeeperMember(NodeId.of(n.id()), n.host(), n.port()))
                        .toList(),
                null);
        // system_id stays absent: the storage node does not tell it; the first compute's greeting sets it.
        String body = JSON.writeValueAsString(new TimelineCreateRequest(
                timeline.tenantId(), timeline.timelineId(), mconf, serverVersion, null, null, startLsn, null));
        int quorum = WalPlacement.quorum(set.ids().size());
        return Flux.fromIterable(set.nodes())
                .flatMap(node -> http.expectSuccess(node, HttpMethod.POST, "/v1/tenant/timeline", body)
                        .then(Mono.<String>empty())
                        .onErrorResume(e -> Mono.just(e.getMessage())))
                .collectList()
                .flatMap(answers -> {
                    int created = set.nodes().size() - answers.size();
                    List<String> failures = new ArrayList<>(answers);
                    if (set.nodes().size() < set.ids().size()) {
                        failures.add("some of them are no longer registered");
                    }
                    if (created < quorum) {
                        return Mono.error(new XenonException(
                                ErrorCode.UNAVAILABLE,
                                "timeline " + timeline + ": created on " + created + " of its WAL nodes " + set.ids()
                                        + " (expected: at least " + quorum + "); repeat the request to retry: "
                                        + String.join("; ", failures)));
                    }
                    if (!failures.isEmpty()) {
                        LOG.warn(
                                "timeline {}: created on a quorum of WAL nodes {}, not on all: {}",
                                timeline,
                                set.ids(),
                                failures);
                    }
                    return Mono.empty();
                });
    }

    /** Deletes the timeline on the nodes of {@code ids}; each registered, not decommissioned node must answer. */
    public Mono<Void> delete(TenantTimelineId timeline, List<Long> ids) {
        return deleteOn(ids, "/v1/tenant/" + timeline.tenantId() + "/timeline/" + timeline.timelineId());
    }

    /** Deletes the tenant (every timeline of it) on the nodes of {@code ids}. */
    public Mono<Void> deleteTenant(TenantId tenant, List<Long> ids) {
        return deleteOn(ids, "/v1/tenant/" + tenant);
    }

    private Mono<Void> deleteOn(List<Long> ids, String path) {
        return rows.findAllById(ids)
                // A decommissioned node is gone for good: its data with it.
                .filter(n -> !WalNodeSchedulingPolicy.Decomissioned.name().equals(n.schedulingPolicy()))
                .flatMap(node -> http.call(node, HttpMethod.DELETE, path, null).map(answer -> {
                    if (!answer.isSuccess() && answer.status() != 404) {
                        throw WalNodeHttp.failure(node, answer);
                    }
                    return answer;
                }))
                .then();
    }
}
