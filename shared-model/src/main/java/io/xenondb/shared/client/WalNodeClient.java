package io.xenondb.shared.client;

import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.client.walnode.TermBumpRequest;
import io.xenondb.shared.client.walnode.TermBumpResponse;
import io.xenondb.shared.client.walnode.TimelineCreateRequest;
import io.xenondb.shared.client.walnode.TimelineDeleteResult;
import io.xenondb.shared.client.walnode.TimelineStatus;
import io.xenondb.shared.client.walnode.WalNodeStatus;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.id.TimelineId;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;

/**
 * A client of one WAL node's HTTP API (Neon's safekeeper management API, {@code safekeeper_client::mgmt_api}):
 * blocking calls over the JDK's HTTP client. Failures are {@code XenonException}s carrying the node's
 * {@code msg}, with the code its HTTP status stands for (400 INVALID_ARGUMENT, 404 NOT_FOUND, 409 CONFLICT,
 * 503 or unreachable UNAVAILABLE).
 */
public final class WalNodeClient implements AutoCloseable {
    private static final TypeReference<Map<String, TimelineDeleteResult>> TENANT_DELETE = new TypeReference<>() {};
    private static final TypeReference<List<TenantTimelineId>> TIMELINE_LIST = new TypeReference<>() {};

    private final JsonHttp http;

    /** A client of the node at {@code baseUri}, e.g. {@code http://127.0.0.1:7676}. */
    public WalNodeClient(URI baseUri, Duration timeout) {
        this.http = new JsonHttp("WAL node", baseUri, timeout);
    }

    /** A client of the node serving HTTP on {@code address}, with a 10 s timeout per request. */
    public WalNodeClient(ListenAddress address) {
        this(URI.create("http://" + address), Duration.ofSeconds(10));
    }

    /** {@code GET /v1/status}. */
    public WalNodeStatus status() {
        return http.get("/v1/status", WalNodeStatus.class);
    }

    /** {@code POST /v1/tenant/timeline}; creating an existing timeline succeeds and changes nothing. */
    public void createTimeline(TimelineCreateRequest request) {
        http.send("POST", "/v1/tenant/timeline", request, Void.class);
    }

    /** {@code GET /v1/tenant/timeline}: every timeline the node holds. */
    public List<TenantTimelineId> listTimelines() {
        return http.get("/v1/tenant/timeline", TIMELINE_LIST);
    }

    /** {@code GET /v1/tenant/{tenant_id}/timeline/{timeline_id}}. */
    public TimelineStatus timelineStatus(TenantTimelineId timeline) {
        return http.get(timelinePath(timeline), TimelineStatus.class);
    }

    /** {@code POST .../term_bump}: raises the timeline's term by one. */
    public TermBumpResponse bumpTimelineTerm(TenantTimelineId timeline) {
        return bumpTimelineTerm(timeline, Optional.empty());
    }

    /** {@code POST .../term_bump}: raises the timeline's term to {@code to} (no change if already as high). */
    public TermBumpResponse bumpTimelineTerm(TenantTimelineId timeline, Optional<Term> to) {
        return http.send(
                "POST",
                timelinePath(timeline) + "/term_bump",
                new TermBumpRequest(to.orElse(null)),
                TermBumpResponse.class);
    }

    /** {@code DELETE /v1/tenant/{tenant_id}/timeline/{timeline_id}}; deleting an absent timeline succeeds. */
    public TimelineDeleteResult deleteTimeline(TenantTimelineId timeline) {
        return http.send("DELETE", timelinePath(timeline), null, TimelineDeleteResult.class);
    }

    /** {@code DELETE /v1/tenant/{tenant_id}}: every timeline of the tenant, each with whether it existed. */
    public Map<TimelineId, TimelineDeleteResult> deleteTenant(TenantId tenant) {
        Map<String, TimelineDeleteResult> byText = http.send("DELETE", "/v1/tenant/" + tenant, null, TENANT_DELETE);
        Map<TimelineId, TimelineDeleteResult> result = new LinkedHashMap<>();
        byText.forEach((timeline, deleted) -> result.put(TimelineId.parse(timeline), deleted));
        return result;
    }

    @Override
    public void close() {
        http.close();
    }

    private static String timelinePath(TenantTimelineId timeline) {
        return "/v1/tenant/" + timeline.tenantId() + "/timeline/" + timeline.timelineId();
    }
}
