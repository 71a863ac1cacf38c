package io.xenondb.controller.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import java.util.List;

/** {@code POST /upcall/v1/validate} (Neon's {@code ValidateRequest}): are these generations still current? */
public record ValidateRequest(@JsonProperty("tenants") List<Tenant> tenants) {
    public ValidateRequest {
        if (tenants == null) {
            throw invalid("tenants: missing (expected: a list of {\"id\", \"gen\"})");
        }
        for (int i = 0; i < tenants.size(); i++) {
            if (tenants.get(i) == null) {
                throw invalid("tenants[" + i + "]: null (expected: {\"id\", \"gen\"})");
            }
        }
        tenants = List.copyOf(tenants);
    }

    /** One tenant shard and the generation its node holds (Neon's {@code ValidateRequestTenant}). */
    public record Tenant(
            @JsonProperty("id") TenantShardId id,
            @JsonProperty("gen") Long gen) {
        public Tenant {
            if (id == null) {
                throw invalid("id: missing (expected: a tenant shard id)");
            }
            if (gen == null) {
                throw invalid("gen: missing (expected: a generation, 0 to 4294967295)");
            }
            if (gen < 0 || gen > 0xFFFF_FFFFL) {
                throw invalid("gen: " + gen + " (expected: 0 to 4294967295)");
            }
        }
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
