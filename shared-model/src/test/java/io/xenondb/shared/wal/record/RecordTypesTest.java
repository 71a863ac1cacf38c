package io.xenondb.shared.wal.record;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecordTypesTest {
    @Test
    void namesAsPgWalinspectPrintsThem() {
        assertThat(RecordTypes.name(ResourceManager.XLOG, 0x10)).isEqualTo("CHECKPOINT_ONLINE");
        assertThat(RecordTypes.name(ResourceManager.XLOG, 0xA0)).isEqualTo("FPI_FOR_HINT");
        assertThat(RecordTypes.name(ResourceManager.XLOG, 0xE0)).isEqualTo("CHECKPOINT_REDO");
        assertThat(RecordTypes.name(ResourceManager.XLOG, 0xC0)).isEqualTo("UNKNOWN (c0)");
        assertThat(RecordTypes.name(ResourceManager.TRANSACTION, 0x80)).isEqualTo("COMMIT");
        assertThat(RecordTypes.name(ResourceManager.TRANSACTION, 0xE0)).isEqualTo("INVALIDATION");
        assertThat(RecordTypes.name(ResourceManager.HEAP, 0x00)).isEqualTo("INSERT");
        assertThat(RecordTypes.name(ResourceManager.HEAP, 0xC0)).isEqualTo("HOT_UPDATE+INIT");
        assertThat(RecordTypes.name(ResourceManager.HEAP, 0x90)).isEqualTo("UNKNOWN (90)");
        assertThat(RecordTypes.name(ResourceManager.HEAP2, 0xD0)).isEqualTo("MULTI_INSERT+INIT");
        assertThat(RecordTypes.name(ResourceManager.STANDBY, 0x10)).isEqualTo("RUNNING_XACTS");
        assertThat(RecordTypes.name(ResourceManager.BRIN, 0x90)).isEqualTo("INSERT+INIT");
        assertThat(RecordTypes.name(ResourceManager.GENERIC, 0x30)).isEqualTo("Generic");
        assertThat(RecordTypes.name(ResourceManager.STORAGE, 0x00)).isEqualTo("UNKNOWN (0)");
        // The low nibble belongs to the WAL machinery and never changes the name.
        assertThat(RecordTypes.name(ResourceManager.BTREE, 0x41)).isEqualTo("SPLIT_R");
    }

    @Test
    void resourceManagerIds() {
        assertThat(ResourceManager.ofId(21)).contains(ResourceManager.LOGICAL_MESSAGE);
        assertThat(ResourceManager.ofId(22)).isEmpty();
        assertThat(ResourceManager.ofId(127)).isEmpty();
        assertThat(ResourceManager.ofId(128)).contains(ResourceManager.CUSTOM);
        assertThat(ResourceManager.nameOf(9)).isEqualTo("Heap2");
        assertThat(ResourceManager.nameOf(130)).isEqualTo("custom130");
    }
}
