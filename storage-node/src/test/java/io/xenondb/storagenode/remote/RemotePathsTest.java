package io.xenondb.storagenode.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.Generation;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("storage-node")
class RemotePathsTest {
    static final String TENANT = "3aa8fcc61f6d357410b7de754b1d9001";
    static final TenantShardId SHARD = TenantShardId.parse(TENANT + "-0104");
    static final TimelineId TIMELINE = TimelineId.parse("9ef87a5bf0d92544f6fafeeb3239695c");
    static final String LAYER = "000000000000000000000000000000000000-FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF__"
            + "00000000016B59D8-00000000016B5A51";

    @Test
    void neonLayout() {
        String timeline = "tenants/" + TENANT + "-0104/timelines/9ef87a5bf0d92544f6fafeeb3239695c/";
        assertThat(RemotePaths.indexKey(SHARD, TIMELINE, Generation.of(10)).value())
                .isEqualTo(timeline + "index_part.json-0000000a");
        assertThat(RemotePaths.objectKey(SHARD, TIMELINE, LAYER, Generation.of(0xabcdef12L))
                        .value())
                .isEqualTo(timeline + LAYER + "-abcdef12");
        assertThat(RemotePaths.tenantManifestKey(SHARD, Generation.of(3)).value())
                .isEqualTo("tenants/" + TENANT + "-0104/tenant-manifest-00000003.json");
        assertThat(RemotePaths.indexKey(TenantShardId.parse(TENANT), TIMELINE, Generation.NONE)
                        .value())
                .isEqualTo("tenants/" + TENANT + "/timelines/9ef87a5bf0d92544f6fafeeb3239695c/index_part.json");
    }

    @Test
    void parseIsTheInverse() {
        List<RemoteKey> keys = List.of(
                RemotePaths.indexKey(SHARD, TIMELINE, Generation.of(10)),
                RemotePaths.indexKey(SHARD, TIMELINE, Generation.NONE),
                RemotePaths.objectKey(SHARD, TIMELINE, LAYER, Generation.of(7)),
                RemotePaths.objectKey(SHARD, TIMELINE, "000000010000000000000002", Generation.NONE),
                RemotePaths.tenantManifestKey(SHARD, Generation.of(2)),
                RemotePaths.tenantManifestKey(SHARD, Generation.NONE));
        for (RemoteKey key : keys) {
            RemoteName name = RemotePaths.parse(key);
            assertThat(name.key()).as(key.value()).isEqualTo(key);
        }
        RemoteName layer = RemotePaths.parse(keys.get(2));
        assertThat(layer.kind()).isEqualTo(RemoteName.Kind.TIMELINE_FILE);
        assertThat(layer.name()).isEqualTo(LAYER);
        assertThat(layer.generation()).isEqualTo(Generation.of(7));
        assertThat(layer.tenantShard()).isEqualTo(SHARD);
        assertThat(layer.timeline()).isEqualTo(TIMELINE);
        assertThat(RemotePaths.parse(keys.get(0)).kind()).isEqualTo(RemoteName.Kind.INDEX_PART);
        assertThat(RemotePaths.parse(keys.get(4)).kind()).isEqualTo(RemoteName.Kind.TENANT_MANIFEST);
    }

    @Test
    void foreignKeysDoNotParse() {
        for (String key : List.of(
                "other/x",
                "tenants/not-a-tenant/timelines/9ef87a5bf0d92544f6fafeeb3239695c/x",
                "tenants/" + TENANT + "/heatmap-v1.json",
                "tenants/" + TENANT + "/timelines/nothex/x",
                "tenants/" + TENANT + "/timelines/9ef87a5bf0d92544f6fafeeb3239695c/a/b",
                "tenants/" + TENANT + "/timelines/9ef87a5bf0d92544f6fafeeb3239695c/-00000001")) {
            assertThat(RemotePaths.tryParse(RemoteKey.of(key))).as(key).isEmpty();
        }
        assertThatThrownBy(() -> RemotePaths.parse(RemoteKey.of("other/x")))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("other/x");
    }

    @Test
    void namesThatWouldReadAsAnotherGenerationAreRefused() {
        for (String name : List.of("", "a/b", "..", "index_part.json", "layer-0000000a", "x-deadbeef")) {
            assertThatThrownBy(() -> RemotePaths.objectKey(SHARD, TIMELINE, name, Generation.of(1)))
                    .as(name)
                    .isInstanceOfSatisfying(
                            XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        }
        assertThat(RemotePaths.checkName("layer-0000000A")).isEqualTo("layer-0000000A");
    }
}
