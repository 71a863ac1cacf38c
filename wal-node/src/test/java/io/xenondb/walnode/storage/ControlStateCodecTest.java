package io.xenondb.walnode.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.walnode.consensus.storage.ControlState;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ControlStateCodecTest {
    @Test
    void roundTripsEveryField() {
        for (int n = 0; n < 10; n++) {
            ControlState state = FileControlStoreTest.state(n);
            assertThat(ControlStateCodec.decode(ControlStateCodec.encode(state), "test"))
                    .isEqualTo(state);
        }
    }

    @Test
    void taggedFieldsOfLaterReleasesAreSkipped() {
        ControlState state = FileControlStoreTest.state(3);
        byte[] plain = ControlStateCodec.encode(state);
        ByteBuffer extended = ByteBuffer.allocate(plain.length + 2 * (2 + 4 + 8));
        extended.put(plain);
        extended.putShort((short) 1).putInt(8).putLong(0x1234_5678L); // e.g. a backup lsn
        extended.putShort((short) 77).putInt(8).putLong(-1L);
        assertThat(ControlStateCodec.decode(extended.array(), "test")).isEqualTo(state);
    }

    @Test
    void anUnknownVersionIsRefused() {
        byte[] payload = ControlStateCodec.encode(FileControlStoreTest.state(1));
        payload[0] = 2;
        assertCorrupt(payload, "format version 2");
    }

    @Test
    void invalidContentIsCorruptionNotACrash() {
        byte[] payload = ControlStateCodec.encode(FileControlStoreTest.state(4));
        assertCorrupt(Arrays.copyOf(payload, payload.length - 3), "ends inside a field");
        byte[] badHistoryCount = payload.clone();
        ByteBuffer.wrap(badHistoryCount).putInt(1 + 32 + 16 + 16, 1_000_000);
        assertCorrupt(badHistoryCount, "term history of 1000000 entries");
        byte[] badSegmentSize = payload.clone();
        ByteBuffer.wrap(badSegmentSize).putInt(1 + 32 + 4 + 8, 3);
        assertCorrupt(badSegmentSize, "wal_seg_size 3");
        byte[] badTag = Arrays.copyOf(payload, payload.length + 6);
        ByteBuffer.wrap(badTag).putShort(payload.length, (short) 1).putInt(payload.length + 2, 100);
        assertCorrupt(badTag, "tagged field 1 of 100 bytes");
    }

    @Test
    void framingDetectsEveryFlippedBit() {
        byte[] record = ControlLogFormat.frame(ControlStateCodec.encode(FileControlStoreTest.state(5)));
        assertThat(ControlLogFormat.scan(record, "log").last()).contains(FileControlStoreTest.state(5));
        for (int bit = 0; bit < record.length * 8; bit++) {
            byte[] damaged = record.clone();
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
            ControlLogFormat.Scan scan = ControlLogFormat.scan(damaged, "log");
            assertThat(scan.last()).as("bit %d", bit).isEqualTo(Optional.empty());
            assertThat(scan.intactLength()).isZero();
        }
    }

    static void assertCorrupt(byte[] payload, String message) {
        assertThatThrownBy(() -> ControlStateCodec.decode(payload, "control.log at offset 0"))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.WAL_CORRUPT))
                .hasMessageContaining(message)
                .hasMessageContaining("control.log at offset 0");
    }
}
