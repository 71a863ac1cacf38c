package io.xenondb.storagenode.remote.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.storagenode.remote.RemotePaths;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RemoteFileNamesTest {
    @Test
    void walLayerNamesRoundTripAndAreValidRemoteNames() {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            long seg = random.nextLong(1, 1L << 30);
            long from = seg * Lsn.WAL_SEGMENT_SIZE + random.nextLong(Lsn.WAL_SEGMENT_SIZE - 1);
            long to = from + 1 + random.nextLong((seg + 1) * Lsn.WAL_SEGMENT_SIZE - from - 1 + 1);
            WalLayer layer = new WalLayer(Lsn.of(from), Lsn.of(Math.min(to, (seg + 1) * Lsn.WAL_SEGMENT_SIZE)));
            assertThat(WalLayer.parse(layer.name())).contains(layer);
            assertThat(RemotePaths.checkName(layer.name())).isEqualTo(layer.name());
            assertThat(layer.inSegment(seg)).isTrue();
        }
        assertThat(new WalLayer(Lsn.parse("0/1000000"), Lsn.parse("0/2000000")).name())
                .isEqualTo("wal-0000000001000000-0000000002000000");
    }

    @Test
    void walLayersStayInsideOneSegmentAndAreNotEmpty() {
        assertThatThrownBy(() -> new WalLayer(Lsn.parse("0/1000000"), Lsn.parse("0/2000001")))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("inside one 16 MiB segment");
        assertThatThrownBy(() -> new WalLayer(Lsn.parse("0/10"), Lsn.parse("0/10")))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("from < to");
        assertThat(WalLayer.parse("wal-0000000001000000")).isEmpty();
        assertThat(WalLayer.parse("wal-0000000001000000-000000000100000g")).isEmpty();
        assertThat(WalLayer.parse("images.packs.0000000000000001.pack")).isEmpty();
    }

    @Test
    void imageFileNamesMapTheStoreDirectoriesOnly() {
        String blob = "blobs/" + "ab".repeat(32);
        for (String rel : new String[] {
            "packs/0000000000000001.pack",
            blob,
            "pagemaps/6bc1bee22e409f96e93d7e117393172a-0000000001000028.map",
            "manifests/6bc1bee22e409f96e93d7e117393172a-0000000001000028.json"
        }) {
            String name = ImageFileNames.remoteName(rel);
            assertThat(RemotePaths.checkName(name)).isEqualTo(name);
            assertThat(ImageFileNames.relPath(name)).contains(rel);
        }
        assertThatThrownBy(() -> ImageFileNames.remoteName("tmp/x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageFileNames.remoteName("packs/a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ImageFileNames.relPath("images.tmp.x")).isEmpty();
        assertThat(ImageFileNames.relPath("images.packs.")).isEmpty();
        assertThat(ImageFileNames.relPath("images.packs..")).isEmpty();
        assertThat(ImageFileNames.relPath("wal-0000000001000000-0000000002000000"))
                .isEmpty();
    }
}
