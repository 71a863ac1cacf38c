package io.xenondb.controller.service;

import io.xenondb.shared.client.storagenode.TenantConf;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.ShardStripeSize;
import io.xenondb.shared.id.TenantId;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/tenant}, read from both forms: Neon's {@code TenantCreateRequest} ({@code new_tenant_id},
 * {@code shard_parameters}, {@code placement_policy} {@code {"Attached": n}}, settings flattened) and the seed's
 * ({@code tenant_id}, {@code config}, {@code placement_policy} {@code {"attached_shards", "secondary_shards"}}).
 * Unknown fields are refused, as Neon refuses them.
 *
 * @param placementPolicy Neon's JSON form, e.g. {@code {"Attached":0}}
 * @param config the tenant's settings (Neon's {@code TenantConfig} fields)
 */
public record TenantCreation(
        TenantId tenantId, Long generation, long stripeSize, String placementPolicy, ObjectNode config) {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> FIELDS =
            Set.of("new_tenant_id", "tenant_id", "generation", "shard_parameters", "placement_policy", "config");
    /** Neon's TenantConfig fields: accepted and stored; the storage node uses those it knows. */
    static final Set<String> CONFIG_FIELDS = Set.of(
            "checkpoint_distance",
            "checkpoint_timeout",
            "compaction_target_size",
            "compaction_period",
            "compaction_threshold",
            "gc_horizon",
            "gc_period",
            "image_creation_threshold",
            "pitr_interval",
            "walreceiver_connect_timeout",
            "lagging_wal_timeout",
            "max_lsn_wal_lag",
            "eviction_policy",
            "min_resident_size_override",
            "heatmap_period",
            "lazy_slru_download",
            "lsn_lease_length",
            "lsn_lease_length_for_ts",
            "timeline_offloading");

    static final String SHARDED = "sharded tenants are not supported yet (expected: 0 or 1 shard)";

    /** Reads and checks a request body. */
    public static TenantCreation parse(String body) {
        JsonNode root = JSON.readTree(body);
        if (!(root instanceof ObjectNode object)) {
            throw invalid("body: " + kind(root) + " (expected: a JSON object with new_tenant_id)");
        }
        ObjectNode config = JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String name = field.getKey();
            if (CONFIG_FIELDS.contains(name)) {
                config.set(name, field.getValue());
            } else if (!FIELDS.contains(name)) {
                throw invalid(name + ": unknown field (expected: new_tenant_id, generation, shard_parameters,"
                        + " placement_policy, config or a tenant setting such as gc_horizon)");
            }
        }
        JsonNode nested = object.get("config");
        if (nested != null && !nested.isNull()) {
            if (!(nested instanceof ObjectNode nestedObject)) {
                throw invalid("config: " + kind(nested) + " (expected: an object of tenant settings)");
            }
            for (Map.Entry<String, JsonNode> field : nestedObject.properties()) {
                if (!CONFIG_FIELDS.contains(field.getKey())) {
                    throw invalid("config." + field.getKey() + ": unknown tenant setting (expected one of: "
                            + String.join(", ", new java.util.TreeSet<>(CONFIG_FIELDS)) + ")");
                }
                if (config.has(field.getKey())) {
                    throw invalid(field.getKey() + ": given twice (at the top level and in config)");
                }
                config.set(field.getKey(), field.getValue());
            }
        }
        // The settings the storage node uses must be well-formed now, not at attach time.
        JSON.treeToValue(config, TenantConf.class);
        return new TenantCreation(
                tenantId(object), generation(object.get("generation")), stripeSize(object), placement(object), config);
    }

    private static TenantId tenantId(ObjectNode object) {
        JsonNode neon = object.get("new_tenant_id");
        JsonNode seed = object.get("tenant_id");
        if (neon != null && seed != null && !neon.equals(seed)) {
            throw invalid("tenant_id: differs from new_tenant_id (expected: one of them)");
        }
        JsonNode id = neon != null ? neon : seed;
        if (id == null || id.isNull()) {
            throw invalid("new_tenant_id: missing (expected: 32 hex chars)");
        }
        if (!id.isString()) {
            throw invalid("new_tenant_id: " + kind(id) + " (expected: 32 hex chars)");
        }
        String text = id.asString();
        if (text.contains("-")) {
            throw invalid("new_tenant_id: " + text + " (expected: an unsharded tenant id, 32 hex chars)");
        }
        return TenantId.parse(text);
    }

    private static Long generation(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0 || node.asLong() > 0xFFFF_FFFEL) {
            throw invalid("generation: " + node + " (expected: a number from 0 to 4294967294)");
        }
        return node.asLong();
    }

    private static long stripeSize(ObjectNode object) {
        JsonNode params = object.get("shard_parameters");
        if (params == null || params.isNull()) {
            return ShardStripeSize.DEFAULT.pages();
        }
        if (!(params instanceof ObjectNode p)) {
            throw invalid("shard_parameters: " + kind(params) + " (expected: {\"count\": 0, \"stripe_size\": 2048})");
        }
        for (Map.Entry<String, JsonNode> field : p.properties()) {
            if (!field.getKey().equals("count") && !field.getKey().equals("stripe_size")) {
                throw invalid("shard_parameters." + field.getKey() + ": unknown field (expected: count, stripe_size)");
            }
        }
        JsonNode count = p.get("count");
        if (count != null && !count.isNull()) {
            if (!count.isIntegralNumber() || !count.canConvertToInt() || count.asInt() < 0 || count.asInt() > 255) {
                throw invalid("shard_parameters.count: " + count + " (expected: a shard count from 0 to 255)");
            }
            if (count.asInt() > 1) {
                throw invalid("shard_parameters.count: " + count.asInt() + ": " + SHARDED);
            }
        }
        JsonNode stripe = p.get("stripe_size");
        if (stripe == null || stripe.isNull()) {
            return ShardStripeSize.DEFAULT.pages();
        }
        if (!stripe.isIntegralNumber() || !stripe.canConvertToLong()) {
            throw invalid("shard_parameters.stripe_size: " + stripe + " (expected: pages, e.g. 2048)");
        }
        return ShardStripeSize.of(stripe.asLong()).pages();
    }

    private static String placement(ObjectNode object) {
        JsonNode policy = object.get("placement_policy");
        if (policy == null || policy.isNull()) {
            return "{\"Attached\":0}";
        }
        String expected = " (expected: {\"Attached\": n} or {\"attached_shards\": 1, \"secondary_shards\": n})";
        if (policy.isString()) {
            throw invalid("placement_policy: " + policy.asString() + " is not supported yet" + expected);
        }
        if (!(policy instanceof ObjectNode p)) {
            throw invalid("placement_policy: " + kind(policy) + expected);
        }
        int secondaries;
        if (p.has("Attached")) {
            if (p.size() != 1) {
                throw invalid("placement_policy: " + p + expected);
            }
            secondaries = count("placement_policy.Attached", p.get("Attached"));
        } else {
            for (Map.Entry<String, JsonNode> field : p.properties()) {
                if (!field.getKey().equals("attached_shards") && !field.getKey().equals("secondary_shards")) {
                    throw invalid("placement_policy." + field.getKey() + ": unknown field" + expected);
                }
            }
            if (p.has("attached_shards")) {
                int attached = count("placement_policy.attached_shards", p.get("attached_shards"));
                if (attached > 1) {
                    throw invalid("placement_policy.attached_shards: " + attached + ": " + SHARDED);
                }
            }
            secondaries = p.has("secondary_shards")
                    ? count("placement_policy.secondary_shards", p.get("secondary_shards"))
                    : 0;
        }
        return "{\"Attached\":" + secondaries + "}";
    }

    private static int count(String field, JsonNode node) {
        if (node == null
                || !node.isIntegralNumber()
                || !node.canConvertToInt()
                || node.asInt() < 0
                || node.asInt() > 16) {
            throw invalid(field + ": " + node + " (expected: a number from 0 to 16)");
        }
        return node.asInt();
    }

    private static String kind(JsonNode node) {
        return node == null ? "missing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
