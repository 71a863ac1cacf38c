package io.xenondb.walnode.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.cli.Flag;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.SimpleCommandLinePropertySource;

/** Flags → Spring properties → WalNodeProperties, as the application binds them. */
class WalNodePropertiesTest {
    @Test
    void defaults() {
        WalNodeProperties properties = bind();

        assertThat(properties.nodeId()).isEmpty();
        assertThat(properties.dataDirectory()).isEqualTo(Path.of("."));
        assertThat(properties.listenGrpc()).isEqualTo(new ListenAddress("127.0.0.1", 5454));
        assertThat(properties.listenHttp()).isEqualTo(new ListenAddress("127.0.0.1", 7676));
        assertThat(properties.advertiseGrpc()).isNull();
        assertThat(properties.brokerAddress()).isEqualTo(new ListenAddress("127.0.0.1", 50051));
        assertThat(properties.brokerKeepaliveInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.disablePeriodicBrokerPush()).isFalse();
        assertThat(properties.zone()).isEmpty();
        assertThat(properties.controlFileSaveInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void explicitMappingOfEveryFlag() {
        WalNodeProperties properties = bind(
                "--id",
                "42",
                "-D",
                "/data/wal",
                "-l",
                "0.0.0.0:6454",
                "--listen-http",
                "[::1]:8676",
                "--advertise-grpc",
                "wal-1.example:6454",
                "--broker-endpoint",
                "http://broker.example:50051/",
                "--broker-keepalive-interval",
                "500ms",
                "--disable-periodic-broker-push",
                "--availability-zone",
                "eu-west-1a",
                "--control-file-save-interval",
                "2m");

        assertThat(properties.nodeId()).contains(NodeId.of(42));
        assertThat(properties.dataDirectory()).isEqualTo(Path.of("/data/wal"));
        assertThat(bind("-D", "wal-data").dataDirectory()).isEqualTo(Path.of("wal-data"));
        assertThat(properties.listenGrpc()).isEqualTo(new ListenAddress("0.0.0.0", 6454));
        assertThat(properties.listenHttp()).isEqualTo(new ListenAddress("::1", 8676));
        assertThat(properties.advertiseGrpc()).isEqualTo(new ListenAddress("wal-1.example", 6454));
        assertThat(properties.brokerAddress()).isEqualTo(new ListenAddress("broker.example", 50051));
        assertThat(properties.brokerKeepaliveInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(properties.disablePeriodicBrokerPush()).isTrue();
        assertThat(properties.zone()).contains("eu-west-1a");
        assertThat(properties.controlFileSaveInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(bind("--broker-endpoint", "10.0.0.1:7000").brokerAddress())
                .isEqualTo(new ListenAddress("10.0.0.1", 7000));
    }

    @Test
    void everyFlagIsAPropertyAndItsDocumentedDefaultIsTheRealOne() {
        assertThat(WalNodeFlags.FLAGS.flags().stream().map(Flag::name))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(WalNodeProperties.class.getRecordComponents())
                        .map(RecordComponent::getName)
                        .map(name -> name.replaceAll("([A-Z])", "-$1").toLowerCase())
                        .toList());
        for (Flag flag : WalNodeFlags.FLAGS.flags()) {
            if (flag.defaultValue() != null && flag.takesValue()) {
                assertThat(bind("--" + flag.name(), flag.defaultValue()))
                        .as(flag.name())
                        .isEqualTo(bind());
            }
        }
    }

    @Test
    void badValuesAreRefusedNamingFlagAndValue() {
        assertThatThrownBy(() -> bind("--id", "seven"))
                .isInstanceOf(BindException.class)
                .rootCause()
                .isInstanceOf(XenonException.class)
                .hasMessageStartingWith("node_id: seven (expected: a decimal number");
        assertThatThrownBy(() -> bind("--listen-grpc", "localhost"))
                .rootCause()
                .hasMessageStartingWith("address: localhost (expected: host:port");
        assertThatThrownBy(() -> bind("--broker-endpoint", "https://broker:50051"))
                .rootCause()
                .hasMessage("broker-endpoint: https://broker:50051 (expected: http://host:port; TLS is not supported)");
        assertThatThrownBy(() -> bind("--broker-endpoint", "broker"))
                .rootCause()
                .hasMessageStartingWith("broker-endpoint: broker (expected: http://host:port");
        assertThatThrownBy(() -> bind("--control-file-save-interval", "0s"))
                .rootCause()
                .hasMessageStartingWith("control-file-save-interval: PT0S (expected: a positive duration");
        assertThatThrownBy(() -> bind("--listen-http", "127.0.0.1:5454"))
                .rootCause()
                .hasMessage("listen-http: 127.0.0.1:5454 (expected: an address other than listen-grpc)");
        assertThatThrownBy(() -> bind("--advertise-grpc", "wal:0"))
                .rootCause()
                .hasMessage("advertise-grpc: wal:0 (expected: a real port, not 0)");
    }

    @Test
    void listenAddressesBecomeTheServersProperties() {
        assertThat(io.xenondb.service.spring.ListenAddressMapping.springProperties(
                        new ListenAddress("0.0.0.0", 6000), new ListenAddress("::1", 0)))
                .isEqualTo(Map.of(
                        "spring.grpc.server.address",
                        "0.0.0.0",
                        "spring.grpc.server.port",
                        6000,
                        "server.address",
                        "::1",
                        "server.port",
                        0));
    }

    private static WalNodeProperties bind(String... args) {
        SimpleCommandLinePropertySource flags = new SimpleCommandLinePropertySource(WalNodeFlags.FLAGS.normalize(args));
        Binder binder = new Binder(
                ConfigurationPropertySources.from(flags), null, ApplicationConversionService.getSharedInstance());
        return binder.bindOrCreate(ConfigurationPropertyName.EMPTY, Bindable.of(WalNodeProperties.class), null);
    }
}
