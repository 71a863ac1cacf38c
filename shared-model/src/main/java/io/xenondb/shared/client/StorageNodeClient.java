package io.xenondb.shared.client;

import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.client.storagenode.LocationConfig;
import io.xenondb.shared.client.storagenode.TenantInfo;
import io.xenondb.shared.client.storagenode.TimelineCreateRequest;
import io.xenondb.shared.client.storagenode.TimelineInfo;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;

/**
 * A client of one storage node's management API (Neon's {@code pageserver_client::mgmt_api::Client}): blocking
 * calls over the JDK's HTTP client. Failures are {@code XenonException}s carrying the node's {@code msg}, with
 * the code its HTTP status stands for (400 INVALID_ARGUMENT, 404 NOT_FOUND, 406 LSN_NOT_AVAILABLE, 409
 * CONFLICT, 503 or unreachable UNAVAILABLE).
 */
public final class StorageNodeClient implements AutoCloseable {
    private static final TypeReference<List<TenantInfo>> TENANT_LIST = new TypeReference<>() {};
    private static final TypeReference<List<TimelineInfo>> TIMELINE_LIST = new TypeReference<>() {};
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final JsonHttp http;

    /** A client of the node at {@code baseUri}, e.g. {@code http://127.0.0.1:9898}. */
    public StorageNodeClient(URI baseUri, Duration timeout) {
        this.http = new JsonHttp("storage node", baseUri, timeout);
    }

    /** A client of the node serving HTTP on {@code address}, with a 2-minute timeout (bootstrap runs initdb). */
    public StorageNodeClient(ListenAddress address) {
        this(URI.create("http://" + address), Duration.ofMinutes(2));
    }

    /** {@code GET /v1/tenant}. */
    public List<TenantInfo> listTenants() {
        return http.get("/v1/tenant", TENANT_LIST);
    }

    /** {@code GET /v1/tenant/{tenant_shard_id}}: the tenant with its timelines. */
    public TenantInfo tenantDetails(TenantShardId tenant) {
        return http.get("/v1/tenant/" + tenant, TenantInfo.class);
    }

    /** {@code PUT /v1/tenant/{tenant_shard_id}/location_config}. */
    public void locationConfig(TenantShardId tenant, LocationConfig config) {
        http.send("PUT", "/v1/tenant/" + tenant + "/location_config", config, OBJECT);
    }

    /** {@code POST /v1/tenant/{tenant_shard_id}/timeline}. */
    public TimelineInfo timelineCreate(TenantShardId tenant, TimelineCreateRequest request) {
        return http.send("POST", "/v1/tenant/" + tenant + "/timeline", request, TimelineInfo.class);
    }

    /** {@code GET /v1/tenant/{tenant_shard_id}/timeline}. */
    public List<TimelineInfo> timelineList(TenantShardId tenant) {
        return http.get("/v1/tenant/" + tenant + "/timeline", TIMELINE_LIST);
    }

    /** {@code GET /v1/tenant/{tenant_shard_id}/timeline/{timeline_id}}. */
    public TimelineInfo timelineInfo(TenantShardId tenant, TimelineId timeline) {
        return http.get(timelinePath(tenant, timeline), TimelineInfo.class);
    }

    /** {@code DELETE /v1/tenant/{tenant_shard_id}/timeline/{timeline_id}}: 202, then 404 once it is gone. */
    public void timelineDelete(TenantShardId tenant, TimelineId timeline) {
        http.send("DELETE", timelinePath(tenant, timeline), null, OBJECT);
    }

    /** {@code PUT .../checkpoint}: an image of the timeline at its tip. */
    public void checkpoint(TenantShardId tenant, TimelineId timeline) {
        http.send("PUT", timelinePath(tenant, timeline) + "/checkpoint", null, OBJECT);
    }

    /** {@code GET .../get_lsn_by_timestamp}: {@code lsn} and {@code kind} (present, future, past, nodata). */
    public Map<String, Object> lsnByTimestamp(TenantShardId tenant, TimelineId timeline, Instant timestamp) {
        String query = URLEncoder.encode(timestamp.toString(), StandardCharsets.UTF_8);
        return http.get(timelinePath(tenant, timeline) + "/get_lsn_by_timestamp?timestamp=" + query, OBJECT);
    }

    /** The LSN {@link #lsnByTimestamp} answers. */
    public Lsn lsnAt(TenantShardId tenant, TimelineId timeline, Instant timestamp) {
        return Lsn.parse(
                String.valueOf(lsnByTimestamp(tenant, timeline, timestamp).get("lsn")));
    }

    /** {@code PUT .../do_gc}: GC now, with {@code gcHorizon} bytes instead of the tenant's gc_horizon if given. */
    public Map<String, Object> doGc(TenantShardId tenant, TimelineId timeline, java.util.Optional<Long> gcHorizon) {
        Object body = gcHorizon.<Object>map(h -> Map.of("gc_horizon", h)).orElse(Map.of());
        return http.send("PUT", timelinePath(tenant, timeline) + "/do_gc", body, OBJECT);
    }

    /** {@code POST .../lsn_lease}: keeps what reading at {@code lsn} needs from GC; returns when the lease ends. */
    public Instant leaseLsn(TenantShardId tenant, TimelineId timeline, Lsn lsn) {
        Map<String, Object> answer =
                http.send("POST", timelinePath(tenant, timeline) + "/lsn_lease", Map.of("lsn", lsn.toString()), OBJECT);
        return Instant.parse(String.valueOf(answer.get("valid_until")));
    }

    /** {@code DELETE /v1/tenant/{tenant_shard_id}}. */
    public void tenantDelete(TenantShardId tenant) {
        http.send("DELETE", "/v1/tenant/" + tenant, null, OBJECT);
    }

    @Override
    public void close() {
        http.close();
    }

    private static String timelinePath(TenantShardId tenant, TimelineId timeline) {
        return "/v1/tenant/" + tenant + "/timeline/" + timeline;
    }
}
