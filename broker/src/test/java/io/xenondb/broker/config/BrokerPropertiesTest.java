package io.xenondb.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.cli.Flag;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.XenonException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.SimpleCommandLinePropertySource;

/** Flags → Spring properties → BrokerProperties, as the application binds them. */
class BrokerPropertiesTest {
    @Test
    void defaults() {
        BrokerProperties properties = bind();

        assertThat(properties.listenAddr()).isEqualTo(new ListenAddress("127.0.0.1", 50051));
        assertThat(properties.listenHttpAddr()).isEqualTo(new ListenAddress("127.0.0.1", 50052));
        assertThat(properties.timelineChanSize()).isEqualTo(32);
        assertThat(properties.allKeysChanSize()).isEqualTo(16384);
        assertThat(properties.http2KeepaliveInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void explicitMappingOfEveryFlag() {
        BrokerProperties properties = bind(
                "-l",
                "0.0.0.0:6000",
                "--listen-http-addr",
                "[::1]:6001",
                "--timeline-chan-size",
                "7",
                "--all-keys-chan-size=99",
                "--http2-keepalive-interval",
                "500ms",
                "--shutdown-grace",
                "1m");

        assertThat(properties.listenAddr()).isEqualTo(new ListenAddress("0.0.0.0", 6000));
        assertThat(properties.listenHttpAddr()).isEqualTo(new ListenAddress("::1", 6001));
        assertThat(properties.timelineChanSize()).isEqualTo(7);
        assertThat(properties.allKeysChanSize()).isEqualTo(99);
        assertThat(properties.http2KeepaliveInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(properties.shutdownGrace()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void everyFlagIsAPropertyAndItsDocumentedDefaultIsTheRealOne() {
        assertThat(BrokerFlags.FLAGS.flags().stream().map(Flag::name))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(BrokerProperties.class.getRecordComponents())
                        .map(RecordComponent::getName)
                        .map(name -> name.replaceAll("([A-Z])", "-$1").toLowerCase())
                        .toList());
        for (Flag flag : BrokerFlags.FLAGS.flags()) {
            assertThat(bind("--" + flag.name(), flag.defaultValue()))
                    .as(flag.name())
                    .isEqualTo(bind());
        }
    }

    @Test
    void badValuesAreRefusedNamingFlagAndValue() {
        assertThatThrownBy(() -> bind("--listen-addr", "localhost"))
                .isInstanceOf(BindException.class)
                .hasRootCauseInstanceOf(XenonException.class)
                .rootCause()
                .hasMessageStartingWith("address: localhost (expected: host:port");
        assertThatThrownBy(() -> bind("--timeline-chan-size", "0"))
                .rootCause()
                .hasMessage("timeline-chan-size: 0 (expected: 1..16777216)");
        assertThatThrownBy(() -> bind("--http2-keepalive-interval", "0s"))
                .rootCause()
                .hasMessageStartingWith("http2-keepalive-interval: PT0S (expected: a positive duration");
        assertThatThrownBy(() -> bind("--listen-http-addr", "127.0.0.1:50051"))
                .rootCause()
                .hasMessage("listen-http-addr: 127.0.0.1:50051 (expected: an address other than listen-addr)");
    }

    private static BrokerProperties bind(String... args) {
        SimpleCommandLinePropertySource flags = new SimpleCommandLinePropertySource(BrokerFlags.FLAGS.normalize(args));
        Binder binder = new Binder(
                ConfigurationPropertySources.from(flags), null, ApplicationConversionService.getSharedInstance());
        return binder.bindOrCreate(ConfigurationPropertyName.EMPTY, Bindable.of(BrokerProperties.class), null);
    }
}
