package io.xenondb.controller.config;

import io.xenondb.service.spring.ServiceDefaults;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The controller's Spring settings, in code as every service's: like a node's, except that it keeps R2DBC and
 * Spring Data R2DBC (its state lives in PostgreSQL) and runs no gRPC server, whatever the classpath carries.
 */
public final class ControllerDefaults {
    /** The controller's own persistence stack, which the other services exclude. */
    private static final List<String> OWN = List.of(
            "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration",
            "org.springframework.boot.data.r2dbc.autoconfigure.DataR2dbcAutoConfiguration",
            "org.springframework.boot.data.r2dbc.autoconfigure.DataR2dbcRepositoriesAutoConfiguration");

    private ControllerDefaults() {}

    public static Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>(ServiceDefaults.node("storage-controller"));
        List<String> excluded = ServiceDefaults.FOREIGN_AUTO_CONFIGURATIONS.stream()
                .filter(name -> !OWN.contains(name))
                .toList();
        p.put("spring.autoconfigure.exclude", String.join(",", excluded));
        p.put("spring.grpc.server.enabled", "false");
        // Flyway runs from ControllerDatabase, before anything reads the tables.
        p.put("spring.flyway.enabled", "false");
        return p;
    }
}
