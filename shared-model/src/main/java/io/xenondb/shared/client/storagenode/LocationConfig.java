package io.xenondb.shared.client.storagenode;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.Map;

/**
 * {@code PUT /v1/tenant/{tenant_shard_id}/location_config} (Neon's {@code LocationConfig}): where and how a
 * tenant shard lives on a storage node. Attached modes need a generation; {@code Detached} drops the local
 * state.
 *
 * @param tenantConf the tenant's settings (Neon's {@code TenantConfig}; see {@link TenantConf})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LocationConfig(
        @JsonProperty("mode") LocationConfigMode mode,
        @JsonProperty("generation") Long generation,
        @JsonProperty("secondary_conf") Map<String, Object> secondaryConf,
        @JsonProperty("shard_number") Integer shardNumber,
        @JsonProperty("shard_count") Integer shardCount,
        @JsonProperty("shard_stripe_size") Long shardStripeSize,
        @JsonProperty("tenant_conf") TenantConf tenantConf) {
    public LocationConfig {
        if (mode == null) {
            throw invalid("mode: missing (expected: AttachedSingle, AttachedMulti, AttachedStale, Secondary or"
                    + " Detached)");
        }
        if (mode.isAttached() && generation == null) {
            throw invalid("generation: missing (expected: a number; " + mode + " needs one)");
        }
        if (generation != null && (generation < 0 || generation > 0xFFFF_FFFEL)) {
            throw invalid("generation: " + generation + " (expected: 0 to 4294967294)");
        }
        if (shardCount != null && shardCount > 1) {
            throw invalid("shard_count: " + shardCount + " (sharded tenants are not supported yet: expected 0 or 1)");
        }
        tenantConf = tenantConf == null ? TenantConf.defaults() : tenantConf;
    }

    /** An attachment in {@code mode} with {@code generation} and default settings. */
    public static LocationConfig attached(LocationConfigMode mode, long generation) {
        return new LocationConfig(mode, generation, null, 0, 0, null, TenantConf.defaults());
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
