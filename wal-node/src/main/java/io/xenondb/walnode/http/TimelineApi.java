package io.xenondb.walnode.http;

import io.xenondb.service.http.RequestBodies;
import io.xenondb.shared.client.walnode.TermBumpRequest;
import io.xenondb.shared.client.walnode.TermBumpResponse;
import io.xenondb.shared.client.walnode.TimelineCreateRequest;
import io.xenondb.shared.client.walnode.TimelineDeleteResult;
import io.xenondb.shared.client.walnode.TimelineStatus;
import io.xenondb.shared.client.walnode.WalNodeStatus;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.walnode.consensus.message.ServerInfo;
import io.xenondb.walnode.timeline.TimelineActor;
import io.xenondb.walnode.timeline.TimelineRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Neon's safekeeper HTTP API ({@code safekeeper/src/http/routes.rs}) over the timeline registry: same routes,
 * same JSON. Bodies are read as text and parsed here, whatever their content type, so that every malformed body
 * gets the same 400 naming what was wrong; errors leave through {@link HttpErrorHandler}.
 */
@RestController
public class TimelineApi {

    private final TimelineRegistry registry;
    private final JsonMapper json;

    public TimelineApi(TimelineRegistry registry, JsonMapper json) {
        this.registry = registry;
        this.json = json;
    }

    @GetMapping("/v1/status")
    public WalNodeStatus status() {
        return new WalNodeStatus(registry.nodeId());
    }

    @GetMapping("/v1/utilization")
    public Map<String, Object> utilization() {
        return Map.of("timeline_count", registry.timelines().size());
    }

    @PostMapping("/v1/tenant/timeline")
    public Mono<Void> createTimeline(ServerHttpRequest http) {
        return RequestBodies.required(http, "a TimelineCreateRequest")
                .map(text -> json.readValue(text, TimelineCreateRequest.class))
                .flatMap(request -> registry.create(
                        request.timeline(),
                        new ServerInfo(request.pgVersion(), request.systemIdOrUnknown(), request.walSegSizeOrDefault()),
                        request.startLsn()))
                .then();
    }

    @GetMapping("/v1/tenant/timeline")
    public List<TenantTimelineId> listTimelines() {
        return registry.timelines().stream().map(TimelineActor::id).toList();
    }

    @GetMapping("/v1/tenant/{tenant_id}/timeline/{timeline_id}")
    public Mono<TimelineStatus> timelineStatus(
            @PathVariable("tenant_id") String tenant, @PathVariable("timeline_id") String timeline) {
        return Mono.fromCallable(() -> registry.get(timeline(tenant, timeline)))
                .flatMap(actor -> actor.status().map(status -> StatusViews.timelineStatus(status, actor.state())));
    }

    @DeleteMapping("/v1/tenant/{tenant_id}/timeline/{timeline_id}")
    public Mono<TimelineDeleteResult> deleteTimeline(
            @PathVariable("tenant_id") String tenant, @PathVariable("timeline_id") String timeline) {
        return Mono.fromCallable(() -> timeline(tenant, timeline))
                .flatMap(registry::delete)
                .map(TimelineDeleteResult::new);
    }

    @DeleteMapping("/v1/tenant/{tenant_id}")
    public Mono<Map<String, TimelineDeleteResult>> deleteTenant(@PathVariable("tenant_id") String tenant) {
        return Mono.fromCallable(() -> TenantId.parse(tenant))
                .flatMap(registry::deleteTenant)
                .map(deleted -> {
                    Map<String, TimelineDeleteResult> body = new LinkedHashMap<>();
                    deleted.forEach(
                            (timeline, existed) -> body.put(timeline.toString(), new TimelineDeleteResult(existed)));
                    return body;
                });
    }

    @PostMapping("/v1/tenant/{tenant_id}/timeline/{timeline_id}/term_bump")
    public Mono<TermBumpResponse> bumpTerm(
            @PathVariable("tenant_id") String tenant,
            @PathVariable("timeline_id") String timeline,
            ServerHttpRequest http) {
        // An absent or empty body means {"term": null}: bump by one.
        Mono<Optional<TermBumpRequest>> request = RequestBodies.text(http)
                .filter(text -> !text.isBlank())
                .map(text -> Optional.of(json.readValue(text, TermBumpRequest.class)))
                .defaultIfEmpty(Optional.empty());
        return Mono.fromCallable(() -> registry.get(timeline(tenant, timeline)))
                .zipWith(request)
                .flatMap(pair -> pair.getT1().bumpTerm(pair.getT2().map(TermBumpRequest::term)))
                .map(bump -> new TermBumpResponse(bump.previous(), bump.current()));
    }

    private static TenantTimelineId timeline(String tenant, String timeline) {
        return new TenantTimelineId(TenantId.parse(tenant), TimelineId.parse(timeline));
    }
}
