package io.xenondb.shared.client.storagenode;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import java.util.List;
import java.util.Map;

/**
 * A tenant shard on a storage node: {@code GET /v1/tenant} lists these, {@code GET /v1/tenant/{id}} adds
 * {@code timelines} (Neon's {@code TenantInfo} / {@code TenantDetails}).
 *
 * @param state {@code {"slug": "Active"}} and the like (Neon's {@code TenantState})
 * @param attachmentStatus {@code {"slug": "attached"}}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantInfo(
        @JsonProperty("id") TenantShardId id,
        @JsonProperty("state") Map<String, Object> state,
        @JsonProperty("current_physical_size") long currentPhysicalSize,
        @JsonProperty("attachment_status") Map<String, Object> attachmentStatus,
        @JsonProperty("generation") Long generation,
        @JsonProperty("timelines") List<TimelineId> timelines) {
    /** The state's slug, e.g. {@code Active}. */
    public String stateSlug() {
        return state == null ? null : String.valueOf(state.get("slug"));
    }
}
