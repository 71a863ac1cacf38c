package io.xenondb.controller.http;

import io.xenondb.controller.nodes.NodeAnswer;
import io.xenondb.controller.service.LocationRequest;
import io.xenondb.controller.service.StartupReconcile;
import io.xenondb.controller.service.TenantCreation;
import io.xenondb.controller.service.TenantLocations;
import io.xenondb.controller.service.TenantService;
import io.xenondb.controller.service.TimelineService;
import io.xenondb.service.http.RequestBodies;
import io.xenondb.shared.client.storagenode.TimelineCreateRequest;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TimelineId;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Tenants and their timelines: Neon's "virtual pageserver" routes ({@code /v1/tenant...}) and the controller's
 * own ({@code /control/v1/tenant...}). Served only once the startup reconcile is done (503 before).
 */
@RestController
public class TenantApi {
    private static final int MAX_PAGE = 10_000;

    private final TenantService tenants;
    private final TenantLocations locations;
    private final TimelineService timelines;
    private final StartupReconcile startup;

    public TenantApi(
            TenantService tenants, TimelineService timelines, TenantLocations locations, StartupReconcile startup) {
        this.tenants = tenants;
        this.locations = locations;
        this.timelines = timelines;
        this.startup = startup;
    }

    @PostMapping("/v1/tenant")
    public Mono<ResponseEntity<Map<String, Object>>> create(ServerHttpRequest http) {
        return ready().then(RequestBodies.required(http, "a TenantCreateRequest"))
                .map(TenantCreation::parse)
                .flatMap(tenants::create)
                .map(body -> ResponseEntity.status(HttpStatus.CREATED).body(body));
    }

    @GetMapping("/control/v1/tenant")
    public Mono<List<Map<String, Object>>> list(
            @RequestParam(name = "limit", required = false) String limit,
            @RequestParam(name = "start_after", required = false) String startAfter) {
        return ready().then(Mono.fromCallable(() -> pageSize(limit)))
                .flatMap(size -> tenants.list(
                                size,
                                startAfter == null
                                        ? null
                                        : JsonBodies.tenant(startAfter).toString())
                        .collectList());
    }

    @GetMapping("/control/v1/tenant/{tenant_id}")
    public Mono<Map<String, Object>> describe(@PathVariable("tenant_id") String tenant) {
        return ready().then(Mono.fromCallable(() -> JsonBodies.tenant(tenant))).flatMap(tenants::describe);
    }

    @DeleteMapping("/v1/tenant/{tenant_id}")
    public Mono<Map<String, Object>> delete(@PathVariable("tenant_id") String tenant) {
        return ready().then(Mono.fromCallable(() -> JsonBodies.tenant(tenant)))
                // The WAL nodes first: the timelines' rows say which hold the tenant, and go with the tenant.
                .flatMap(id -> timelines.deleteOnWalNodes(id).then(tenants.delete(id)))
                .thenReturn(Map.of());
    }

    @PutMapping("/v1/tenant/{tenant_id}/location_config")
    public Mono<Map<String, Object>> putLocationConfig(
            @PathVariable("tenant_id") String tenant, ServerHttpRequest http) {
        return ready().then(Mono.fromCallable(() -> JsonBodies.tenant(tenant)))
                .zipWith(RequestBodies.required(http, "a LocationConfig").map(LocationRequest::parse))
                .flatMap(pair -> locations.put(pair.getT1(), pair.getT2()));
    }

    @GetMapping("/v1/location_config/{tenant_id}")
    public Mono<Object> getLocationConfig(@PathVariable("tenant_id") String tenant) {
        return ready().then(Mono.fromCallable(() -> JsonBodies.tenant(tenant))).flatMap(locations::get);
    }

    @PostMapping("/v1/tenant/{tenant_id}/timeline")
    public Mono<ResponseEntity<String>> createTimeline(
            @PathVariable("tenant_id") String tenant, ServerHttpRequest http) {
        return ready().then(Mono.fromCallable(() -> JsonBodies.tenant(tenant)))
                .flatMap(id -> JsonBodies.read(http, TimelineCreateRequest.class, "a TimelineCreateRequest")
                        .flatMap(request -> timelines.create(id, request)))
                .map(answer -> json(HttpStatus.CREATED, answer));
    }

    @GetMapping("/v1/tenant/{tenant_id}/timeline")
    public Mono<ResponseEntity<String>> listTimelines(@PathVariable("tenant_id") String tenant) {
        return ready().then(Mono.fromCallable(() -> JsonBodies.tenant(tenant)))
                .flatMap(id -> timelines.get(id, "/timeline"))
                .map(answer -> json(HttpStatus.OK, answer));
    }

    @GetMapping("/v1/tenant/{tenant_id}/timeline/{timeline_id}")
    public Mono<ResponseEntity<String>> getTimeline(
            @PathVariable("tenant_id") String tenant, @PathVariable("timeline_id") String timeline) {
        return ready().then(Mono.fromCallable(() -> JsonBodies.tenant(tenant)))
                .flatMap(id -> timelines.get(id, "/timeline/" + TimelineId.parse(timeline)))
                .map(answer -> json(HttpStatus.OK, answer));
    }

    @DeleteMapping("/v1/tenant/{tenant_id}/timeline/{timeline_id}")
    public Mono<Map<String, Object>> deleteTimeline(
            @PathVariable("tenant_id") String tenant, @PathVariable("timeline_id") String timeline) {
        return ready().then(Mono.fromCallable(() -> JsonBodies.tenant(tenant)))
                .flatMap(id -> timelines.delete(id, TimelineId.parse(timeline)))
                .thenReturn(Map.of());
    }

    private Mono<Void> ready() {
        return startup.isDone()
                ? Mono.empty()
                : Mono.error(new XenonException(
                        ErrorCode.UNAVAILABLE, "the controller is starting: the startup reconcile is not done yet"));
    }

    private static int pageSize(String limit) {
        if (limit == null) {
            return MAX_PAGE;
        }
        try {
            int n = Integer.parseInt(limit.strip());
            if (n >= 1 && n <= MAX_PAGE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new XenonException(
                ErrorCode.INVALID_ARGUMENT, "limit: " + limit + " (expected: a number from 1 to " + MAX_PAGE + ")");
    }

    private static ResponseEntity<String> json(HttpStatus status, NodeAnswer answer) {
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(answer.body());
    }
}
