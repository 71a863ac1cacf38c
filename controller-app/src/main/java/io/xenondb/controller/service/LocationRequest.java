package io.xenondb.controller.service;

import io.xenondb.shared.client.storagenode.LocationConfigMode;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code PUT /v1/tenant/{id}/location_config} to the controller (Neon's {@code LocationConfig}, as the cloud
 * control plane sends it): the mode it wants, the generation it knows of, and the tenant's settings. Unknown
 * fields are refused.
 *
 * @param generation the generation asked for, or null: a new attach gets at least this one
 * @param tenantConf the settings (Neon's TenantConfig fields), or null to keep the stored ones
 */
public record LocationRequest(LocationConfigMode mode, Long generation, ObjectNode tenantConf) {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> FIELDS = Set.of(
            "mode", "generation", "secondary_conf", "shard_number", "shard_count", "shard_stripe_size", "tenant_conf");

    /** Reads and checks a request body. */
    public static LocationRequest parse(String body) {
        JsonNode root = JSON.readTree(body);
        if (!(root instanceof ObjectNode object)) {
            throw invalid("body: "
                    + (root == null ? "missing" : root.getNodeType().name().toLowerCase())
                    + " (expected: a LocationConfig object with mode)");
        }
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                throw invalid(field.getKey() + ": unknown field (expected: " + FIELDS + ")");
            }
        }
        JsonNode modeNode = object.get("mode");
        if (modeNode == null || !modeNode.isString()) {
            throw invalid("mode: " + modeNode + " (expected: AttachedSingle, AttachedMulti, AttachedStale, Secondary"
                    + " or Detached)");
        }
        LocationConfigMode mode;
        try {
            mode = LocationConfigMode.valueOf(modeNode.asString());
        } catch (IllegalArgumentException e) {
            throw invalid("mode: " + modeNode.asString() + " (expected: AttachedSingle, AttachedMulti, AttachedStale,"
                    + " Secondary or Detached)");
        }
        Long generation = null;
        JsonNode gen = object.get("generation");
        if (gen != null && !gen.isNull()) {
            if (!gen.isIntegralNumber() || !gen.canConvertToLong() || gen.asLong() < 0 || gen.asLong() > 0xFFFF_FFFEL) {
                throw invalid("generation: " + gen + " (expected: a number from 0 to 4294967294)");
            }
            generation = gen.asLong();
        }
        JsonNode count = object.get("shard_count");
        if (count != null && !count.isNull() && (!count.isIntegralNumber() || count.asInt() > 1)) {
            throw invalid("shard_count: " + count + ": " + TenantCreation.SHARDED);
        }
        JsonNode number = object.get("shard_number");
        if (number != null && !number.isNull() && (!number.isIntegralNumber() || number.asInt() != 0)) {
            throw invalid("shard_number: " + number + " (expected: 0, an unsharded tenant)");
        }
        JsonNode secondary = object.get("secondary_conf");
        if (secondary != null && !secondary.isNull() && !secondary.isObject()) {
            throw invalid("secondary_conf: " + secondary + " (expected: an object or null)");
        }
        JsonNode stripe = object.get("shard_stripe_size");
        if (stripe != null && !stripe.isNull() && (!stripe.isIntegralNumber() || stripe.asLong() <= 0)) {
            throw invalid("shard_stripe_size: " + stripe + " (expected: pages, e.g. 2048)");
        }
        ObjectNode conf = null;
        JsonNode tenantConf = object.get("tenant_conf");
        if (tenantConf != null && !tenantConf.isNull()) {
            if (!(tenantConf instanceof ObjectNode c)) {
                throw invalid("tenant_conf: " + tenantConf + " (expected: an object of tenant settings)");
            }
            for (String name : c.propertyNames()) {
                if (!TenantCreation.CONFIG_FIELDS.contains(name)) {
                    throw invalid("tenant_conf." + name + ": unknown setting (expected one of "
                            + TenantCreation.CONFIG_FIELDS + ")");
                }
            }
            conf = c;
        }
        return new LocationRequest(mode, generation, conf);
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
