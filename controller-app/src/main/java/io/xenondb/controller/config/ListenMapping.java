package io.xenondb.controller.config;

import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.Map;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Binds the web server to {@code --listen}, and maps the environment variables Neon's controller reads under
 * other names ({@code PAGESERVER_JWT_TOKEN}) onto their flags; a flag given wins over its variable.
 */
public final class ListenMapping implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {
    private static final Map<String, String> ENV_ALIASES = Map.of("PAGESERVER_JWT_TOKEN", "jwt-token");

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment environment = event.getEnvironment();
        Map<String, Object> aliases = new java.util.LinkedHashMap<>();
        ENV_ALIASES.forEach((variable, flag) -> {
            String value = System.getenv(variable);
            if (value != null && environment.getProperty(flag) == null) {
                aliases.put(flag, value);
            }
        });
        environment
                .getPropertySources()
                .addAfter(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new MapPropertySource("controllerEnvAliases", aliases));
        String text = environment.getProperty("listen", ControllerProperties.DEFAULT_LISTEN);
        ListenAddress listen;
        try {
            listen = ListenAddress.parse(text);
        } catch (XenonException e) {
            throw new XenonException(ErrorCode.INVALID_ARGUMENT, "invalid --listen '" + text + "': " + e.getMessage());
        }
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "controllerListen", Map.of("server.address", listen.host(), "server.port", listen.port())));
    }
}
