package io.xenondb.service.spring;

import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns a service's gRPC and HTTP listen flags ({@code host:port}, Neon's form) into the host and port
 * properties of Spring's gRPC server and web server, before those are configured. Added to one service's own
 * SpringApplication only, so it never touches another application sharing the classpath.
 *
 * @param grpcFlag the gRPC listen flag, e.g. {@code listen-grpc}
 * @param httpFlag the HTTP listen flag, e.g. {@code listen-http}
 */
public record ListenAddressMapping(String grpcFlag, String grpcDefault, String httpFlag, String httpDefault)
        implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {
    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment environment = event.getEnvironment();
        ListenAddress grpc = address(environment, grpcFlag, grpcDefault);
        ListenAddress http = address(environment, httpFlag, httpDefault);
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource("listenAddresses", springProperties(grpc, http)));
    }

    /** The Spring properties that bind the two servers to these addresses. */
    public static Map<String, Object> springProperties(ListenAddress grpc, ListenAddress http) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.grpc.server.address", grpc.host());
        properties.put("spring.grpc.server.port", grpc.port());
        properties.put("server.address", http.host());
        properties.put("server.port", http.port());
        return properties;
    }

    private static ListenAddress address(ConfigurableEnvironment environment, String flag, String defaultValue) {
        String text = environment.getProperty(flag, defaultValue);
        try {
            return ListenAddress.parse(text);
        } catch (XenonException e) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "invalid --" + flag + " '" + text + "': " + e.getMessage());
        }
    }
}
