package io.xenondb.shared.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ListenAddressTest {
    @Test
    void parsesHostAndPort() {
        assertThat(ListenAddress.parse("127.0.0.1:50051")).isEqualTo(new ListenAddress("127.0.0.1", 50051));
        assertThat(ListenAddress.parse("localhost:0")).isEqualTo(new ListenAddress("localhost", 0));
        assertThat(ListenAddress.parse("[::1]:65535")).isEqualTo(new ListenAddress("::1", 65535));
        assertThat(ListenAddress.valueOf("0.0.0.0:1")).hasToString("0.0.0.0:1");
        assertThat(new ListenAddress("::", 5)).hasToString("[::]:5");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(
            strings = {
                "",
                "127.0.0.1",
                ":50051",
                "127.0.0.1:",
                "127.0.0.1:65536",
                "127.0.0.1:99999999999",
                "127.0.0.1:-1",
                "127.0.0.1:+1",
                "127.0.0.1: 1",
                "::1:50051",
                "[::1:50051",
                "[]:1",
                "[127.0.0.1]:1",
                " host:1",
                "host :1",
                "127.0.0.1:٣"
            })
    void rejectsMalformed(String text) {
        assertThatThrownBy(() -> ListenAddress.parse(text))
                .isInstanceOf(XenonException.class)
                .hasMessageStartingWith("address: " + text + " (expected: host:port")
                .extracting(e -> ((XenonException) e).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.xenondb.shared.testing.Seeds#seeds")
    void textRoundTrips(long seed) {
        Seeds.run(seed, random -> {
            int port = random.nextInt(65_536);
            String host = switch (random.nextInt(3)) {
                case 0 ->
                    random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                            + random.nextInt(256);
                case 1 ->
                    Integer.toHexString(random.nextInt(0x10000)) + "::" + Integer.toHexString(random.nextInt(0x10000));
                default -> "node-" + random.nextInt(1000) + ".example";
            };
            ListenAddress address = new ListenAddress(host, port);
            assertThat(ListenAddress.parse(address.toString())).isEqualTo(address);
        });
    }

    @Test
    void unresolvableHostIsATypedError() {
        assertThat(ListenAddress.parse("127.0.0.1:0")
                        .toSocketAddress()
                        .getAddress()
                        .isLoopbackAddress())
                .isTrue();
        assertThatThrownBy(() -> ListenAddress.parse("no-such-host.invalid:1").toSocketAddress())
                .isInstanceOf(XenonException.class)
                .hasMessage("address: no-such-host.invalid:1 (expected: a host name that resolves)");
    }
}
