package io.xenondb.shared.basebackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import org.junit.jupiter.api.Test;

class BasebackupInfoTest {
    private static final Lsn T = Lsn.parse("0/3000128");
    private static final Lsn R = Lsn.parse("0/2000028");
    private static final Lsn Y = Lsn.parse("0/2FFF000");
    private static final Lsn X = Lsn.parse("0/1500000");

    @Test
    void fullRoundTrips() {
        BasebackupInfo info = BasebackupInfo.full(T, R, Y, "img-y@1", "requested");
        assertThat(info.toString())
                .isEqualTo("LSN: 0/3000128\nREDO: 0/2000028\nIMAGE: 0/2FFF000\nIMAGE_ID: img-y@1\nFULL: requested\n");
        assertThat(BasebackupInfo.parse(info.toString())).isEqualTo(info);
        assertThat(info.isIncremental()).isFalse();
    }

    @Test
    void incrementalRoundTrips() {
        BasebackupInfo info = BasebackupInfo.incremental(T, R, Y, "img-y@2", X, "img-x@1");
        assertThat(info.toString())
                .contains("INCREMENTAL_FROM: 0/1500000 img-x@1\n")
                .doesNotContain("FULL");
        BasebackupInfo parsed = BasebackupInfo.parse(info.toString());
        assertThat(parsed).isEqualTo(info);
        assertThat(parsed.isIncremental()).isTrue();
        assertThat(parsed.baseImageLsn()).isEqualTo(X);
    }

    @Test
    void badTextNamesWhatIsWrong() {
        assertThatThrownBy(() -> BasebackupInfo.parse("LSN: 0/1\nREDO: 0/1\n"))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("no IMAGE line");
        assertThatThrownBy(() -> BasebackupInfo.parse("garbage"))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("line 'garbage'");
        assertThatThrownBy(() ->
                        BasebackupInfo.parse("LSN: 0/1\nREDO: 0/1\nIMAGE: 0/1\nIMAGE_ID: a\nINCREMENTAL_FROM: 0/1\n"))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("INCREMENTAL_FROM '0/1'");
        assertThatThrownBy(() -> BasebackupInfo.parse("LSN: zz\n"))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("zz");
    }
}
