package io.xenondb.compute.walproposer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WalNodeEndpointTest {
    @ParameterizedTest
    @ValueSource(strings = {"1@127.0.0.1:5454", "42@wal-node-3.local:1", "7@[::1]:65535"})
    void parseAndToStringAreInverse(String text) {
        assertThat(WalNodeEndpoint.parse(text).toString()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1:5454",
                "@127.0.0.1:5454",
                "x@127.0.0.1:5454",
                "1@127.0.0.1",
                "1@:5454",
                "1@127.0.0.1:0",
                "1@127.0.0.1:70000",
                "-1@h:1",
                ""
            })
    void badTextIsATypedErrorNamingIt(String text) {
        assertThatThrownBy(() -> WalNodeEndpoint.parse(text))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("wal node: " + text)
                .hasMessageContaining("expected: id@host:port")
                .satisfies(e -> assertThat(((XenonException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @org.junit.jupiter.api.Test
    void partsAreKept() {
        WalNodeEndpoint endpoint = WalNodeEndpoint.parse("3@10.0.0.7:5454");
        assertThat(endpoint.id()).isEqualTo(NodeId.of(3));
        assertThat(endpoint.address().host()).isEqualTo("10.0.0.7");
        assertThat(endpoint.address().port()).isEqualTo(5454);
        assertThat(WalNodeEndpoint.of(3, "10.0.0.7", 5454)).isEqualTo(endpoint);
    }

    @org.junit.jupiter.api.Test
    void nullIsATypedError() {
        assertThatThrownBy(() -> WalNodeEndpoint.parse(null))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("wal node: null");
    }
}
