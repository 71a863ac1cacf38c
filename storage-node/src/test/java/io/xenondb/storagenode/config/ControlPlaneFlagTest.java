package io.xenondb.storagenode.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class ControlPlaneFlagTest {
    @Test
    void withoutTheFlagThereIsNoControlPlane() {
        ControlPlaneProperties none = new ControlPlaneProperties(null, null, null);
        assertThat(none.upcallBase()).isEmpty();
        assertThat(none.token()).isEmpty();
        assertThat(StorageNodeFlags.FLAGS.usage())
                .contains("--control-plane-api")
                .contains("--control-plane-api-token")
                .contains("--availability-zone");
    }

    @Test
    void hostAndPortGetTheUpcallPathAndAPathIsKept() {
        assertThat(base("http://127.0.0.1:1234")).isEqualTo(URI.create("http://127.0.0.1:1234/upcall/v1/"));
        assertThat(base("http://127.0.0.1:1234/")).isEqualTo(URI.create("http://127.0.0.1:1234/upcall/v1/"));
        assertThat(base("http://ctl:1234/upcall/v1/")).isEqualTo(URI.create("http://ctl:1234/upcall/v1/"));
        assertThat(base(" http://ctl:1234/upcall/v1 ")).isEqualTo(URI.create("http://ctl:1234/upcall/v1/"));
        assertThat(base("http://[::1]:1234/other")).isEqualTo(URI.create("http://[::1]:1234/other/"));
        assertThat(base("http://ctl:1234").resolve("re-attach"))
                .isEqualTo(URI.create("http://ctl:1234/upcall/v1/re-attach"));
    }

    @Test
    void tokenAndZoneAreKept() {
        ControlPlaneProperties p = new ControlPlaneProperties("http://ctl:1", " a.b.c ", "us-east-1a");
        assertThat(p.token()).contains("a.b.c");
        assertThat(p.zone()).contains("us-east-1a");
    }

    @Test
    void badValuesNameTheFlag() {
        for (String bad : new String[] {
            "ctl:1234",
            "https://ctl:1234",
            "http://ctl",
            "http://ctl:0",
            "http://ctl:99999",
            "http://ctl:1/?a=b",
            "",
            "http://u@ctl:1/",
            "ftp://ctl:1/",
            "http://ctl:1/#x"
        }) {
            assertThatThrownBy(() -> new ControlPlaneProperties(bad, null, null))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageContaining("control-plane-api");
        }
        assertThatThrownBy(() -> new ControlPlaneProperties("http://ctl:1", "a b", null))
                .hasMessageContaining("control-plane-api-token");
        assertThatThrownBy(() -> new ControlPlaneProperties("http://ctl:1", null, " "))
                .hasMessageContaining("availability-zone");
        assertThatThrownBy(() -> new ControlPlaneProperties(null, "a.b.c", null))
                .hasMessageContaining("control-plane-api-token: given without --control-plane-api");
        assertThatThrownBy(() -> new ControlPlaneProperties(null, null, "az"))
                .hasMessageContaining("availability-zone: given without --control-plane-api");
    }

    private static URI base(String flag) {
        return new ControlPlaneProperties(flag, null, null).upcallBase().orElseThrow();
    }
}
