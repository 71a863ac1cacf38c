package io.xenondb.storagenode.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.Generation;
import io.xenondb.shared.id.ShardIndex;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@Tag("storage-node")
class IndexPartTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Shaped like an index written by Neon's pageserver, with fields Xenon does not model. */
    private static final String NEON_INDEX = """
            {"version":11,
             "layer_metadata":{
               "000000000000000000000000000000000000-FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF__00000000016B59D8":
                 {"file_size":25600000,"generation":3,"shard":"0104"},
               "legacy_layer":{"file_size":8192}},
             "disk_consistent_lsn":"0/16B59D8",
             "metadata":{"disk_consistent_lsn":"0/16B59D8","prev_record_lsn":"0/16B5990",
               "ancestor_timeline":"9ef87a5bf0d92544f6fafeeb3239695c","ancestor_lsn":"0/1000000",
               "latest_gc_cutoff_lsn":"0/1500000","initdb_lsn":"0/14EE150","pg_version":17},
             "lineage":{"original_ancestor":null},
             "gc_blocking":null,
             "last_aux_file_policy":"V2"}
            """;

    @Test
    void readsNeonIndexAndKeepsUnknownFields() {
        IndexPart index = IndexPart.fromJson(NEON_INDEX.getBytes(StandardCharsets.UTF_8));
        assertThat(index.version()).isEqualTo(11);
        assertThat(index.diskConsistentLsn()).isEqualTo(Lsn.parse("0/16B59D8"));
        assertThat(index.layerMetadata()).hasSize(2);
        assertThat(index.layerMetadata().get("legacy_layer"))
                .isEqualTo(new LayerFileMetadata(8192, Generation.NONE, ShardIndex.UNSHARDED));
        assertThat(index.layerMetadata().firstKey()).startsWith("000000");
        assertThat(index.layerMetadata().get(index.layerMetadata().firstKey()))
                .isEqualTo(new LayerFileMetadata(25_600_000, Generation.of(3), ShardIndex.of(1, 4)));
        TimelineMetadata metadata = index.metadata();
        assertThat(metadata.prevRecordLsn()).isEqualTo(Lsn.parse("0/16B5990"));
        assertThat(metadata.ancestorTimeline()).isEqualTo(TimelineId.parse("9ef87a5bf0d92544f6fafeeb3239695c"));
        assertThat(metadata.pgVersion()).isEqualTo(17);
        assertThat(index.other()).containsKeys("lineage", "gc_blocking", "last_aux_file_policy");

        JsonNode original = JSON.readTree(NEON_INDEX);
        JsonNode written = JSON.readTree(index.toJson());
        // Everything survives a rewrite, except that an absent generation/shard stays absent.
        assertThat(written).isEqualTo(original);
    }

    @Test
    void newIndexRoundTrip() {
        TimelineMetadata metadata = new TimelineMetadata(
                Lsn.parse("0/2000000"), null, null, null, Lsn.parse("0/1000000"), Lsn.parse("0/14EE150"), 17);
        IndexPart index = IndexPart.of(
                Map.of("image_1", new LayerFileMetadata(10, Generation.of(1), ShardIndex.UNSHARDED)), metadata);
        String text = new String(index.toJson(), StandardCharsets.UTF_8);
        assertThat(text)
                .contains("\"version\":" + IndexPart.VERSION)
                .contains("\"disk_consistent_lsn\":\"0/2000000\"")
                .contains("\"image_1\":{\"file_size\":10,\"generation\":1}")
                .contains("\"ancestor_timeline\":null")
                .doesNotContain("deleted_at")
                .doesNotContain("other");
        assertThat(IndexPart.fromJson(index.toJson())).isEqualTo(index);
        assertThat(metadata.ancestorLsn()).isEqualTo(Lsn.INVALID);
    }

    @Test
    void damagedIndexIsATypedError() {
        for (String bad : new String[] {
            "",
            "{",
            "[]",
            "null",
            "{\"version\":1}",
            "{\"version\":1,\"metadata\":{}}",
            NEON_INDEX.replace("\"0/16B59D8\"", "\"zz\""),
            NEON_INDEX.replace("legacy_layer", "a/b")
        }) {
            assertThatThrownBy(() -> IndexPart.fromJson(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                    .hasMessageStartingWith("index_part.json: ");
        }
    }
}
