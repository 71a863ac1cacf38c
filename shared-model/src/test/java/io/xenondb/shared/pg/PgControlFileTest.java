package io.xenondb.shared.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("storage-node")
class PgControlFileTest {
    @Test
    void parsesFieldsOfAFileWithAValidCrc() {
        byte[] file = control(1700);
        PgControlFile parsed = PgControlFile.parse(file);
        assertThat(parsed.checkpoint()).isEqualTo(Lsn.parse("0/1500060"));
        assertThat(parsed.redo()).isEqualTo(Lsn.parse("0/1500028"));
        assertThat(parsed.timeline()).isEqualTo(1);
        assertThat(parsed.maxConnections()).isEqualTo(100);
    }

    @Test
    void refusesDamagedOrForeignFiles() {
        byte[] flipped = control(1700);
        flipped[40] ^= 1;
        for (byte[] bad : new byte[][] {new byte[10], control(1300), flipped, null}) {
            assertThatThrownBy(() -> PgControlFile.parse(bad))
                    .isInstanceOfSatisfying(
                            XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_CORRUPT))
                    .hasMessageStartingWith("pg_control: ");
        }
    }

    private static byte[] control(int version) {
        ByteBuffer b = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(8, version);
        b.putLong(32, Lsn.parse("0/1500060").value());
        b.putLong(40, Lsn.parse("0/1500028").value());
        b.putInt(48, 1);
        b.putInt(180, 100);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 288);
        b.putInt(288, (int) crc.getValue());
        return b.array();
    }
}
