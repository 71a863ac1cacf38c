package io.xenondb.storagenode.http;

import io.xenondb.service.http.RequestBodies;
import io.xenondb.shared.client.storagenode.LocationConfig;
import io.xenondb.shared.client.storagenode.TenantInfo;
import io.xenondb.shared.client.storagenode.TimelineCreateRequest;
import io.xenondb.shared.client.storagenode.TimelineInfo;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.storagenode.pages.PageReads;
import io.xenondb.storagenode.tenant.GarbageCollector;
import io.xenondb.storagenode.tenant.Tenant;
import io.xenondb.storagenode.tenant.TenantManager;
import io.xenondb.storagenode.timeline.Timeline;
import io.xenondb.storagenode.wal.RecordIndex;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.http.HttpStatus;
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
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Neon's pageserver management API (reference §2) on WebFlux. Everything that touches disks or starts
 * PostgreSQL runs on the bounded-elastic scheduler, never on an event loop; failures are mapped to
 * {@code {"msg": ...}} answers by the one handler of {@code service-support}.
 */
@RestController
public class ManagementApi {
    private final TenantManager tenants;
    private final PageReads pageReads;
    private final Clock clock;
    // Unknown fields are refused (400) unless a body type says it tolerates them (Neon's configs have many).
    private final JsonMapper json = JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public ManagementApi(TenantManager tenants, PageReads pageReads, Clock clock) {
        this.tenants = tenants;
        this.pageReads = pageReads;
        this.clock = clock;
    }

    @GetMapping("/v1/status")
    public Map<String, Object> status() {
        return Map.of("id", tenants.nodeId().value());
    }

    @GetMapping("/v1/utilization")
    public Mono<Map<String, Object>> utilization() {
        return blocking(() -> {
            var store = Files.getFileStore(java.nio.file.Path.of(".").toAbsolutePath());
            long used =
                    tenants.tenants().stream().mapToLong(Tenant::physicalSize).sum();
            long free = store.getUsableSpace();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("disk_usage_bytes", used);
            body.put("free_space_bytes", free);
            body.put("disk_wanted_bytes", used);
            body.put("disk_capacity_bytes", store.getTotalSpace());
            body.put("shard_count", tenants.tenants().size());
            body.put("utilization_score", used);
            body.put("captured_at", clock.instant().toString());
            return body;
        });
    }

    @GetMapping("/v1/tenant")
    public List<TenantInfo> listTenants() {
        return tenants.tenants().stream().map(t -> tenantInfo(t, false)).toList();
    }

    @GetMapping("/v1/tenant/{tenant_shard_id}")
    public Mono<TenantInfo> tenantDetails(@PathVariable("tenant_shard_id") String tenant) {
        return blocking(() -> tenantInfo(tenants.tenant(TenantShardId.parse(tenant)), true));
    }

    @DeleteMapping("/v1/tenant/{tenant_shard_id}")
    public Mono<ResponseEntity<Map<String, Object>>> deleteTenant(@PathVariable("tenant_shard_id") String tenant) {
        return blocking(() -> {
            tenants.deleteTenant(TenantShardId.parse(tenant));
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of());
        });
    }

    @PutMapping("/v1/tenant/{tenant_shard_id}/location_config")
    public Mono<Map<String, Object>> putLocationConfig(
            @PathVariable("tenant_shard_id") String tenant, ServerHttpRequest http) {
        return RequestBodies.required(http, "a LocationConfig")
                .map(text -> json.readValue(text, LocationConfig.class))
                .flatMap(config -> blocking(() -> {
                    TenantShardId id = TenantShardId.parse(tenant);
                    tenants.setLocation(id, config);
                    List<Map<String, Object>> shards = new ArrayList<>();
                    if (config.mode().isAttached() || config.mode().name().equals("Secondary")) {
                        shards.add(Map.of("shard_id", id.toString()));
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("shards", shards);
                    body.put("stripe_size", config.shardStripeSize());
                    return body;
                }));
    }

    @GetMapping("/v1/location_config")
    public Map<String, Object> listLocationConfigs() {
        List<List<Object>> shards = new ArrayList<>();
        for (Tenant t : tenants.tenants()) {
            shards.add(List.of(t.id().toString(), t.location()));
        }
        return Map.of("tenant_shards", shards);
    }

    @GetMapping("/v1/location_config/{tenant_shard_id}")
    public LocationConfig locationConfig(@PathVariable("tenant_shard_id") String tenant) {
        return tenants.tenant(TenantShardId.parse(tenant)).location();
    }

    @PostMapping("/v1/tenant/{tenant_shard_id}/timeline")
    public Mono<ResponseEntity<TimelineInfo>> createTimeline(
            @PathVariable("tenant_shard_id") String tenant, ServerHttpRequest http) {
        return RequestBodies.required(http, "a TimelineCreateRequest")
                .map(text -> json.readValue(text, TimelineCreateRequest.class))
                .flatMap(request -> blocking(() -> {
                    TenantShardId id = TenantShardId.parse(tenant);
                    Timeline timeline = tenants.createTimeline(id, request);
                    return ResponseEntity.status(HttpStatus.CREATED)
                            .body(TimelineInfos.of(tenants, tenants.tenant(id), timeline));
                }));
    }

    @GetMapping("/v1/tenant/{tenant_shard_id}/timeline")
    public Mono<List<TimelineInfo>> listTimelines(@PathVariable("tenant_shard_id") String tenant) {
        return blocking(() -> {
            Tenant t = tenants.tenant(TenantShardId.parse(tenant));
            return t.timelines().stream()
                    .map(tl -> TimelineInfos.of(tenants, t, tl))
                    .toList();
        });
    }

    @GetMapping("/v1/tenant/{tenant_shard_id}/timeline/{timeline_id}")
    public Mono<TimelineInfo> timelineInfo(
            @PathVariable("tenant_shard_id") String tenant, @PathVariable("timeline_id") String timeline) {
        return blocking(() -> {
            Tenant t = tenants.tenant(TenantShardId.parse(tenant));
            return TimelineInfos.of(tenants, t, t.timeline(TimelineId.parse(timeline)));
        });
    }

    @DeleteMapping("/v1/tenant/{tenant_shard_id}/timeline/{timeline_id}")
    public Mono<ResponseEntity<Map<String, Object>>> deleteTimeline(
            @PathVariable("tenant_shard_id") String tenant, @PathVariable("timeline_id") String timeline) {
        return blocking(() -> {
            tenants.deleteTimeline(TenantShardId.parse(tenant), TimelineId.parse(timeline));
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of());
        });
    }

    @PutMapping("/v1/tenant/{tenant_shard_id}/timeline/{timeline_id}/checkpoint")
    public Mono<Map<String, Object>> checkpoint(
            @PathVariable("tenant_shard_id") String tenant, @PathVariable("timeline_id") String timeline) {
        return blocking(() -> {
            TenantShardId id = TenantShardId.parse(tenant);
            TimelineId tl = TimelineId.parse(timeline);
            tenants.checkpoint(id, tl);
            return Map.of();
        });
    }

    /** Neon's do_gc: GC now, with an optional {@code gc_horizon} (bytes) instead of the tenant's. */
    @PutMapping("/v1/tenant/{tenant_shard_id}/timeline/{timeline_id}/do_gc")
    public Mono<Map<String, Object>> doGc(
            @PathVariable("tenant_shard_id") String tenant,
            @PathVariable("timeline_id") String timeline,
            ServerHttpRequest http) {
        return RequestBodies.text(http)
                .defaultIfEmpty("")
                .map(text -> text.isBlank() ? new GcRequest(null) : json.readValue(text, GcRequest.class))
                .flatMap(request -> blocking(() -> {
                    GarbageCollector.Result r = tenants.gc(
                            TenantShardId.parse(tenant),
                            TimelineId.parse(timeline),
                            java.util.Optional.ofNullable(request.gcHorizon()));
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("gc_cutoff_lsn", r.cutoff().toString());
                    body.put("layers_total", r.imagesTotal());
                    body.put("layers_removed", r.imagesRemoved());
                    body.put("wal_start_lsn", r.walStart().toString());
                    body.put("physical_size_before", r.bytesBefore());
                    body.put("physical_size_after", r.bytesAfter());
                    body.put("elapsed", r.elapsed().toMillis());
                    return body;
                }));
    }

    /** The body of {@code do_gc}. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = false)
    record GcRequest(
            @com.fasterxml.jackson.annotation.JsonProperty("gc_horizon")
            Long gcHorizon) {
        GcRequest {
            if (gcHorizon != null && gcHorizon < 0) {
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT, "gc_horizon: " + gcHorizon + " (expected: bytes, 0 or more)");
            }
        }
    }

    /** Neon's lsn_lease: keeps GC from removing what a read at {@code lsn} needs, until {@code valid_until}. */
    @PostMapping("/v1/tenant/{tenant_shard_id}/timeline/{timeline_id}/lsn_lease")
    public Mono<Map<String, Object>> leaseLsn(
            @PathVariable("tenant_shard_id") String tenant,
            @PathVariable("timeline_id") String timeline,
            ServerHttpRequest http) {
        return RequestBodies.required(http, "{\"lsn\": \"X/X\"}")
                .map(text -> json.readValue(text, LeaseRequest.class))
                .flatMap(request -> blocking(() -> Map.<String, Object>of(
                        "valid_until",
                        pageReads
                                .leaseLsn(TenantShardId.parse(tenant), TimelineId.parse(timeline), request.lsn())
                                .toString())));
    }

    /** The body of {@code lsn_lease}. */
    record LeaseRequest(
            @com.fasterxml.jackson.annotation.JsonProperty("lsn")
            Lsn lsn) {
        LeaseRequest {
            if (lsn == null) {
                throw new XenonException(ErrorCode.INVALID_ARGUMENT, "lsn: missing (expected: X/X)");
            }
        }
    }

    @GetMapping("/v1/tenant/{tenant_shard_id}/timeline/{timeline_id}/get_lsn_by_timestamp")
    public Mono<Map<String, Object>> lsnByTimestamp(
            @PathVariable("tenant_shard_id") String tenant,
            @PathVariable("timeline_id") String timeline,
            @RequestParam(name = "timestamp", required = false) String timestamp) {
        return blocking(() -> {
            Instant time = parseTimestamp(timestamp);
            Tenant t = tenants.tenant(TenantShardId.parse(tenant));
            Timeline tl = t.timeline(TimelineId.parse(timeline));
            RecordIndex.CommitPoint point = tl.lsnForTimestamp(time);
            Lsn lsn = switch (point.kind()) {
                case PRESENT -> point.lsn().orElseThrow();
                case FUTURE -> tl.lastRecordLsn();
                case PAST, NODATA -> Tenant.oldestBranchPoint(tl);
            };
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("lsn", lsn.toString());
            body.put("kind", point.kind().name().toLowerCase(java.util.Locale.ROOT));
            return body;
        });
    }

    @GetMapping("/v1/tenant/{tenant_shard_id}/timeline/{timeline_id}/get_timestamp_of_lsn")
    public Mono<String> timestampOfLsn(
            @PathVariable("tenant_shard_id") String tenant,
            @PathVariable("timeline_id") String timeline,
            @RequestParam(name = "lsn", required = false) String lsnText) {
        return blocking(() -> {
            if (lsnText == null) {
                throw new XenonException(ErrorCode.INVALID_ARGUMENT, "lsn: missing (expected: ?lsn=X/X)");
            }
            Lsn lsn = Lsn.parse(lsnText);
            Tenant t = tenants.tenant(TenantShardId.parse(tenant));
            return t.timeline(TimelineId.parse(timeline))
                    .timestampOfLsn(lsn)
                    .map(found -> json.writeValueAsString(found.toString()))
                    .orElseThrow(() ->
                            new XenonException(ErrorCode.NOT_FOUND, "no transaction committed at or below " + lsn));
        });
    }

    private TenantInfo tenantInfo(Tenant tenant, boolean withTimelines) {
        Map<String, Object> state = Map.of("slug", "Active");
        Map<String, Object> attachment = Map.of("slug", "attached");
        Long generation = tenant.location().generation();
        List<TimelineId> timelines = withTimelines
                ? tenant.timelines().stream().map(Timeline::id).sorted().toList()
                : null;
        return new TenantInfo(tenant.id(), state, tenant.physicalSize(), attachment, generation, timelines);
    }

    private static Instant parseTimestamp(String text) {
        if (text == null) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "timestamp: missing (expected: ?timestamp=<RFC 3339>)");
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "timestamp: " + text + " (expected: RFC 3339, e.g. 2026-11-22T06:00:00Z)");
        }
    }

    private static <T> Mono<T> blocking(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
    }
}
