package io.xenondb.shared.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** The JSON of every id type through a real Jackson 3 mapper equals Neon's JSON text. */
class IdJsonTest {
    private static final String TENANT = "9ef87a5bf0d92544f6fafeeb3239695c";
    private static final String TIMELINE = "de200bd42b49cc1814412c7e592dd6e9";

    private final JsonMapper json = JsonMapper.builder().build();

    /** The shape of Neon's tenant-create response shard, {"shard_id", "node_id", "generation"}. */
    record ShardPlacement(
            @JsonProperty("shard_id") TenantShardId shardId,
            @JsonProperty("node_id") NodeId nodeId,
            @JsonProperty("generation") Generation generation) {}

    record Positions(
            @JsonProperty("last_record_lsn") Lsn lastRecordLsn,
            @JsonProperty("term") Term term,
            @JsonProperty("stripe_size") ShardStripeSize stripeSize,
            @JsonProperty("shard_number") ShardNumber shardNumber,
            @JsonProperty("shard_count") ShardCount shardCount,
            @JsonProperty("shard") ShardIndex shard) {}

    @Test
    void scalarsHaveNeonsJson() {
        assertRoundTrip(Lsn.parse("0/16B5A50"), "\"0/16B5A50\"", Lsn.class);
        assertRoundTrip(TenantId.parse(TENANT), "\"" + TENANT + "\"", TenantId.class);
        assertRoundTrip(TimelineId.parse(TIMELINE), "\"" + TIMELINE + "\"", TimelineId.class);
        assertRoundTrip(TenantShardId.parse(TENANT + "-0104"), "\"" + TENANT + "-0104\"", TenantShardId.class);
        assertRoundTrip(TenantShardId.parse(TENANT), "\"" + TENANT + "\"", TenantShardId.class);
        assertRoundTrip(ShardIndex.of(1, 4), "\"0104\"", ShardIndex.class);
        assertRoundTrip(new NodeId(7), "7", NodeId.class);
        assertRoundTrip(Generation.of(3), "3", Generation.class);
        assertRoundTrip(new Term(5), "5", Term.class);
        assertRoundTrip(new ShardNumber(1), "1", ShardNumber.class);
        assertRoundTrip(new ShardCount(4), "4", ShardCount.class);
        assertRoundTrip(ShardStripeSize.DEFAULT, "2048", ShardStripeSize.class);
    }

    @Test
    void fieldsInsideObjects() {
        ShardPlacement placement =
                new ShardPlacement(TenantShardId.parse(TENANT + "-0104"), new NodeId(7), Generation.of(3));
        String text = "{\"shard_id\":\"" + TENANT + "-0104\",\"node_id\":7,\"generation\":3}";
        assertRoundTrip(placement, text, ShardPlacement.class);

        Positions positions = new Positions(
                Lsn.parse("0/16B5A50"),
                new Term(9),
                ShardStripeSize.DEFAULT,
                new ShardNumber(1),
                new ShardCount(4),
                ShardIndex.of(1, 4));
        assertRoundTrip(
                positions,
                "{\"last_record_lsn\":\"0/16B5A50\",\"term\":9,\"stripe_size\":2048,\"shard_number\":1,"
                        + "\"shard_count\":4,\"shard\":\"0104\"}",
                Positions.class);

        TenantTimelineId ttid = new TenantTimelineId(TenantId.parse(TENANT), TimelineId.parse(TIMELINE));
        assertRoundTrip(
                ttid,
                "{\"tenant_id\":\"" + TENANT + "\",\"timeline_id\":\"" + TIMELINE + "\"}",
                TenantTimelineId.class);
    }

    @Test
    void generationNoneIsNull() {
        assertThat(json.writeValueAsString(Generation.NONE)).isEqualTo("null");
        assertThat(json.writeValueAsString(new ShardPlacement(TenantShardId.parse(TENANT), new NodeId(1), null)))
                .isEqualTo("{\"shard_id\":\"" + TENANT + "\",\"node_id\":1,\"generation\":null}");
    }

    @Test
    void listsOfIds() {
        List<TenantShardId> shards =
                TenantShardId.unsharded(TenantId.parse(TENANT)).split(new ShardCount(2));
        assertThat(json.writeValueAsString(shards)).isEqualTo("[\"" + TENANT + "-0002\",\"" + TENANT + "-0102\"]");
    }

    @Test
    void malformedJsonValueFailsWithTheTypedErrorAsCause() {
        assertThatThrownBy(() -> json.readValue("\"zz\"", TenantId.class))
                .isInstanceOf(JacksonException.class)
                .rootCause()
                .isInstanceOf(XenonException.class)
                .hasMessage("tenant_id: zz (expected: 32 hex chars)")
                .satisfies(e -> assertThat(((XenonException) e).code()).isEqualTo(ErrorCode.INVALID_ID));
        assertThatThrownBy(() -> json.readValue("\"0/ZZ\"", Lsn.class))
                .isInstanceOf(JacksonException.class)
                .rootCause()
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("lsn: 0/ZZ");
        assertThatThrownBy(() -> json.readValue("300", ShardNumber.class))
                .isInstanceOf(JacksonException.class)
                .rootCause()
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("shard_number: 300");
    }

    private <T> void assertRoundTrip(T value, String expectedJson, Class<T> type) {
        String written = json.writeValueAsString(value);
        assertThat(written).isEqualTo(expectedJson);
        assertThat(json.readValue(written, type)).isEqualTo(value);
    }
}
