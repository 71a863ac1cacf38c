package io.xenondb.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class StartupFailuresTest {
    @Test
    void theInnermostXenonErrorIsTheLine() {
        XenonException cause = new XenonException(ErrorCode.UNAVAILABLE, "port 5454 on 127.0.0.1 is in use");
        RuntimeException failure = new IllegalStateException("context failed", new RuntimeException("bean", cause));

        assertThat(StartupFailures.describe(failure)).isEqualTo("port 5454 on 127.0.0.1 is in use");
    }

    @Test
    void aRefusedFlagIsNamedWithItsValue() {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of("listen-addr", "nowhere")));
        Throwable failure = catchThrowable(() -> binder.bind("listen-addr", Bindable.of(ListenAddress.class)));

        assertThat(failure).isInstanceOf(BindException.class);
        assertThat(StartupFailures.describe(new IllegalStateException(failure)))
                .startsWith("invalid --listen-addr 'nowhere': ")
                .contains("nowhere");
    }

    @Test
    void withoutAXenonErrorTheRootMessageIsUsed() {
        assertThat(StartupFailures.describe(new RuntimeException("outer", new IllegalArgumentException("root"))))
                .isEqualTo("root");
        assertThat(StartupFailures.describe(new RuntimeException(new NullPointerException())))
                .isEqualTo("java.lang.NullPointerException");
    }
}
