package io.xenondb.shared.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One shard of one tenant, in Neon's text form: the bare tenant id for a legacy unsharded tenant (shard count
 * 0), else {@code <tenant>-NNCC} with the shard number and count as two hex digits each ({@code -0104} = shard
 * 1 of 4). A bare tenant id and {@code <tenant>-0001} are different shards. Ordered by tenant, then shard
 * number, then count, as in Neon. JSON is the text form.
 */
public record TenantShardId(TenantId tenantId, ShardIndex shard) implements Comparable<TenantShardId> {
    private static final String FIELD = "tenant_shard_id";
    private static final String EXPECTED = "32 hex chars, optionally followed by -NNCC with shard number below count";

    public TenantShardId {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(shard, "shard");
    }

    /** The legacy unsharded form of a tenant (count 0), written as the bare tenant id. */
    public static TenantShardId unsharded(TenantId tenantId) {
        return new TenantShardId(tenantId, ShardIndex.UNSHARDED);
    }

    public static TenantShardId of(TenantId tenantId, int shardNumber, int shardCount) {
        return new TenantShardId(tenantId, ShardIndex.of(shardNumber, shardCount));
    }

    /** Parses {@code <tenant>} or {@code <tenant>-NNCC} (hex, either case). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static TenantShardId parse(String text) {
        if (text == null) {
            throw IdText.invalid(FIELD, null, EXPECTED);
        }
        if (text.length() == Id128.HEX_CHARS) {
            return unsharded(parseTenant(text));
        }
        if (text.length() != Id128.HEX_CHARS + 5 || text.charAt(Id128.HEX_CHARS) != '-') {
            throw IdText.invalid(FIELD, text, EXPECTED);
        }
        TenantId tenantId = parseTenant(text);
        int number = (int) IdText.parseHex(text, Id128.HEX_CHARS + 1, Id128.HEX_CHARS + 3, FIELD, EXPECTED);
        int count = (int) IdText.parseHex(text, Id128.HEX_CHARS + 3, Id128.HEX_CHARS + 5, FIELD, EXPECTED);
        // "-0000" would be a second spelling of the bare tenant id (only the bare form is canonical), and
        // "-NN00" with NN > 0 names no shard at all.
        if (count == 0 || number >= count) {
            throw IdText.invalid(FIELD, text, EXPECTED);
        }
        return of(tenantId, number, count);
    }

    private static TenantId parseTenant(String text) {
        long[] v = Id128.parseAt(text, 0, FIELD, EXPECTED);
        return new TenantId(v[0], v[1]);
    }

    public ShardNumber shardNumber() {
        return shard.number();
    }

    public ShardCount shardCount() {
        return shard.count();
    }

    /** True for the legacy form (count 0), not for a tenant with one shard (count 1). */
    public boolean isUnsharded() {
        return shard.isUnsharded();
    }

    /** Shard 0 alone serves what is not striped (basebackup, database and relation sizes, SLRUs). */
    public boolean isShardZero() {
        return shard.number().value() == 0;
    }

    /**
     * The shards this one becomes when the tenant is split to {@code newCount} shards: those whose number is
     * congruent to this one's modulo the old count, since keys map to shards by hash modulo count.
     */
    public List<TenantShardId> split(ShardCount newCount) {
        int oldCount = shard.count().count();
        if (newCount.value() <= shard.count().value() || newCount.value() % oldCount != 0) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "new_shard_count: " + newCount + " (expected: a multiple of " + oldCount + " above " + shard.count()
                            + ")");
        }
        List<TenantShardId> children = new ArrayList<>();
        for (int number = shard.number().value(); number < newCount.value(); number += oldCount) {
            children.add(of(tenantId, number, newCount.value()));
        }
        return children;
    }

    @JsonValue
    @Override
    public String toString() {
        return tenantId + shard.suffix();
    }

    @Override
    public int compareTo(TenantShardId other) {
        int byTenant = tenantId.compareTo(other.tenantId);
        return byTenant != 0 ? byTenant : shard.compareTo(other.shard);
    }
}
