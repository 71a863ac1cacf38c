package io.xenondb.walnode.consensus.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InMemoryWalStoreTest {
    private final InMemoryWalStore store = new InMemoryWalStore(Lsn.of(100));

    private static ByteString bytes(String text) {
        return ByteString.copyFromUtf8(text);
    }

    @Test
    void writesAreDurableOnlyAfterFlush() {
        store.write(Lsn.of(100), bytes("abc"));
        assertThat(store.writeLsn()).isEqualTo(Lsn.of(103));
        assertThat(store.flushLsn()).isEqualTo(Lsn.of(100));
        assertThat(store.flush()).isEqualTo(Lsn.of(103));
        store.write(Lsn.of(103), bytes("defgh"));
        assertThat(store.read(Lsn.of(101), 100)).isEqualTo(bytes("bcdefgh"));
        assertThat(store.read(Lsn.of(101), 2)).isEqualTo(bytes("bc"));
    }

    @Test
    void aCrashKeepsTheDurableWalAndAtMostAPrefixOfTheRest() {
        for (long seed = 0; seed < 200; seed++) {
            InMemoryWalStore wal = new InMemoryWalStore(Lsn.of(100));
            wal.write(Lsn.of(100), bytes("durable"));
            wal.flush();
            wal.write(Lsn.of(107), bytes("unflushed"));
            wal.crash(new Random(seed));
            long kept = wal.flushLsn().value() - 107;
            assertThat(kept).as("seed %d", seed).isBetween(0L, 9L);
            assertThat(wal.writeLsn()).isEqualTo(wal.flushLsn());
            assertThat(wal.read(Lsn.of(100), 100)).isEqualTo(bytes("durableunflushed".substring(0, 7 + (int) kept)));
        }
    }

    @Test
    void truncationIsDurableAndNeverComesBack() {
        store.write(Lsn.of(100), bytes("0123456789"));
        store.flush();
        store.write(Lsn.of(110), bytes("tail"));
        store.truncate(Lsn.of(104));
        assertThat(store.writeLsn()).isEqualTo(Lsn.of(104));
        store.crash(new Random(1));
        assertThat(store.read(Lsn.of(100), 100)).isEqualTo(bytes("0123"));
        store.write(Lsn.of(104), bytes("xy"));
        assertThat(store.read(Lsn.of(100), 100)).isEqualTo(bytes("0123xy"));
    }

    @Test
    void misuseIsATypedError() {
        store.write(Lsn.of(100), bytes("ab"));
        assertThatThrownBy(() -> store.write(Lsn.of(101), bytes("x"))).isInstanceOf(XenonException.class);
        assertThatThrownBy(() -> store.truncate(Lsn.of(101)))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("flush lsn 0/64");
        assertThatThrownBy(() -> store.read(Lsn.of(99), 1)).isInstanceOf(XenonException.class);
        assertThatThrownBy(() -> store.read(Lsn.of(103), 1)).isInstanceOf(XenonException.class);
        assertThatThrownBy(() -> new InMemoryWalStore(Lsn.INVALID)).isInstanceOf(XenonException.class);
    }
}
