package io.xenondb.shared.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.xenondb.shared.error.ErrorCategory;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.lsn.Lsn;
import org.junit.jupiter.api.Test;

class WalDecodeExceptionTest {
    @Test
    void namesTheLsnAndIsCorruption() {
        WalDecodeException e = new WalDecodeException(
                Lsn.parse("0/16B5A50"), WalDecodeException.Reason.CRC_MISMATCH, "incorrect checksum");
        assertThat(e.getMessage()).isEqualTo("WAL at 0/16B5A50: incorrect checksum");
        assertThat(e.lsn()).isEqualTo(Lsn.parse("0/16B5A50"));
        assertThat(e.problem()).isEqualTo("incorrect checksum");
        assertThat(e.code()).isEqualTo(ErrorCode.WAL_CORRUPT);
        assertThat(e.category()).isEqualTo(ErrorCategory.CORRUPTION);
    }
}
