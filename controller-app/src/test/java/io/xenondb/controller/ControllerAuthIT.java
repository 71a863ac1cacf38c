package io.xenondb.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.xenondb.controller.TestHttp.Answer;
import io.xenondb.controller.auth.RouteScopes;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.shared.auth.Claims;
import io.xenondb.shared.auth.Jwt;
import io.xenondb.shared.auth.Scope;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.io.FileTrees;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * JWT auth of the controller (its embedded PostgreSQL, no storage node): every route the router serves, taken
 * from its handler mappings at runtime, refuses a missing or foreign token (401) and a wrong scope (403), and
 * lets its own scope and {@code admin} through; health and metrics are open. The controller's calls to storage
 * nodes carry {@code --jwt-token}.
 */
@Tag("controller")
class ControllerAuthIT {
    private static final String TENANT = "3f1c6a1e0b2d4c5e8f9a0b1c2d3e4f50";
    private static final String TIMELINE = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

    private static PrivateKey key;
    private static PrivateKey foreignKey;
    private static String nodeToken;
    private static HttpServer fakeNode;
    private static final List<String> NODE_AUTHORIZATIONS = new CopyOnWriteArrayList<>();
    private static ConfigurableApplicationContext controller;
    private static String base;

    @BeforeAll
    static void start() throws IOException {
        Path dir =
                Files.createDirectories(Path.of("target", "controller-auth-it")).toAbsolutePath();
        deleteRecursively(dir.resolve("db"));
        Map<String, String> pair = Jwt.generatePem();
        key = Jwt.privateKey(pair.get("private"));
        foreignKey = Jwt.privateKey(Jwt.generatePem().get("private"));
        Path publicPem = dir.resolve("auth_public_key.pem");
        Files.writeString(publicPem, pair.get("public"));
        nodeToken = Jwt.mint(key, Claims.of(Scope.PAGESERVER_API));

        // A stand-in storage node that only records the Authorization header of each call and holds no tenant.
        fakeNode = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fakeNode.createContext("/", exchange -> {
            NODE_AUTHORIZATIONS.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                            + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"tenant_shards\": []}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        fakeNode.start();

        int port = FreePorts.allocate();
        base = "http://127.0.0.1:" + port;
        controller = ControllerApplication.start(
                "--dev",
                "--listen",
                "127.0.0.1:" + port,
                "--dev-data-dir",
                dir.resolve("db").toString(),
                "--public-key",
                publicPem.toString(),
                "--jwt-token",
                nodeToken);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (send("GET", "/ready", null, null).status() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("controller not ready within 30 s");
            }
            sleep(100);
        }
    }

    @AfterAll
    static void stop() {
        if (controller != null) {
            controller.close();
        }
        if (fakeNode != null) {
            fakeNode.stop(0);
        }
    }

    @Test
    void everyRouteOfTheRouterNeedsItsScope() {
        RouteScopes scopes = RouteScopes.neon();
        List<String[]> routes = routesOfTheRouter();
        // The API's own routes and Actuator's are both there, so the enumeration cannot silently be empty.
        assertThat(routes).extracting(r -> r[1]).contains("/v1/tenant", "/control/v1/node", "/health", "/metrics");
        String foreign = Jwt.mint(foreignKey, Claims.of(Scope.ADMIN));
        String admin = Jwt.mint(key, Claims.of(Scope.ADMIN));
        for (String[] route : routes) {
            String method = route[0];
            String path = route[1];
            String shown = method + " " + path;
            PathContainer container = PathContainer.parsePath(path);
            if (scopes.isOpen(container)) {
                assertThat(send(method, path, null, null).status())
                        .as(shown)
                        .isBetween(200, 599)
                        .isNotIn(401, 403);
                continue;
            }
            var rule = scopes.rule(HttpMethod.valueOf(method), container);
            assertThat(rule).as(shown + " has a rule in RouteScopes").isPresent();
            Scope required = rule.get().scope();

            Answer none = send(method, path, null, null);
            assertThat(none.status())
                    .as(shown + " without a token: " + none.body())
                    .isEqualTo(401);
            assertThat(none.msg()).as(shown).contains("authorization");
            Answer garbage = send(method, path, null, "Bearer not.a-token");
            assertThat(garbage.status()).as(shown + " with garbage").isEqualTo(401);
            Answer signedElsewhere = send(method, path, null, "Bearer " + foreign);
            assertThat(signedElsewhere.status())
                    .as(shown + " signed by another key")
                    .isEqualTo(401);
            assertThat(signedElsewhere.msg()).as(shown).contains("signature");

            for (Scope other : Scope.values()) {
                if (other == required || other == Scope.ADMIN) {
                    continue;
                }
                Answer wrong = send(method, path, null, "Bearer " + token(other));
                assertThat(wrong.status())
                        .as(shown + " with scope " + other + ": " + wrong.body())
                        .isEqualTo(403);
                assertThat(wrong.msg()).as(shown).contains(required.toString());
            }
            Answer right = send(method, path, null, "Bearer " + token(required));
            assertThat(right.status())
                    .as(shown + " with scope " + required + ": " + right.body())
                    .isNotIn(401, 403);
            Answer asAdmin = send(method, path, null, "Bearer " + admin);
            assertThat(asAdmin.status())
                    .as(shown + " as admin: " + asAdmin.body())
                    .isNotIn(401, 403);
        }
    }

    @Test
    void neonScopesOfKeyRoutes() {
        RouteScopes scopes = RouteScopes.neon();
        assertThat(scopes.required(HttpMethod.POST, PathContainer.parsePath("/v1/tenant")))
                .contains(Scope.PAGESERVER_API);
        assertThat(scopes.required(HttpMethod.GET, PathContainer.parsePath("/control/v1/tenant/" + TENANT)))
                .contains(Scope.SCRUBBER);
        assertThat(scopes.required(HttpMethod.POST, PathContainer.parsePath("/upcall/v1/re-attach")))
                .contains(Scope.GENERATIONS_API);
        // A route without a rule needs admin: the table fails closed.
        assertThat(scopes.required(HttpMethod.GET, PathContainer.parsePath("/control/v1/no-such-route")))
                .contains(Scope.ADMIN);
        assertThat(scopes.required(HttpMethod.GET, PathContainer.parsePath("/health/readiness")))
                .isEmpty();
    }

    @Test
    void callsToStorageNodesCarryTheJwtToken() {
        int port = fakeNode.getAddress().getPort();
        Answer registered = send("POST", "/control/v1/node", """
                {"node_id": 7, "listen_pg_addr": "127.0.0.1", "listen_pg_port": 64000,
                 "listen_http_addr": "127.0.0.1", "listen_http_port": %d, "availability_zone_id": "az-1"}""".formatted(port), "Bearer " + token(Scope.INFRA));
        assertThat(registered.status()).as(registered.body()).isEqualTo(200);
        assertThat(registered.json().get("availability").asString()).isEqualTo("Active");
        assertThat(NODE_AUTHORIZATIONS).contains("GET /v1/location_config Bearer " + nodeToken);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOpenApiDocumentDescribesEveryRouteWithItsScope() {
        Answer answer = send("GET", "/openapi.yaml", null, null);
        assertThat(answer.status()).isEqualTo(200);
        Map<String, Object> document = new org.yaml.snakeyaml.Yaml().load(answer.body());
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");
        Set<String> described = new TreeSet<>();
        RouteScopes scopes = RouteScopes.neon();
        paths.forEach((path, item) -> item.forEach((method, operation) -> {
            if (method.equals("parameters")) {
                return;
            }
            String route = method.toUpperCase(java.util.Locale.ROOT) + " " + path;
            described.add(route);
            Object scope = ((Map<String, Object>) operation).get("x-scope");
            PathContainer container = PathContainer.parsePath(concrete(path));
            if (scopes.isOpen(container)) {
                assertThat(scope).as(route + " is open").isNull();
            } else {
                assertThat(scope)
                        .as(route + " x-scope")
                        .isEqualTo(scopes.rule(HttpMethod.valueOf(method.toUpperCase(java.util.Locale.ROOT)), container)
                                .orElseThrow()
                                .scope()
                                .toString());
            }
        }));
        Set<String> served = new TreeSet<>();
        for (RequestMappingInfoHandlerMapping mapping : controller
                .getBeansOfType(RequestMappingInfoHandlerMapping.class)
                .values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                for (PathPattern pattern : info.getPatternsCondition().getPatterns()) {
                    for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                        served.add(method.name() + " " + pattern.getPatternString());
                    }
                }
            }
        }
        served.removeIf(route -> route.contains(" /health")); // Actuator's probes: Spring's, not this API's
        assertThat(described).isEqualTo(served);
    }

    /** Every (method, concrete path) the controller's handler mappings serve, path variables filled in. */
    private static List<String[]> routesOfTheRouter() {
        Set<String> seen = new TreeSet<>();
        for (RequestMappingInfoHandlerMapping mapping : controller
                .getBeansOfType(RequestMappingInfoHandlerMapping.class)
                .values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                List<String> names = methods.isEmpty()
                        ? List.of("GET")
                        : methods.stream().map(RequestMethod::name).toList();
                for (PathPattern pattern : info.getPatternsCondition().getPatterns()) {
                    for (String name : names) {
                        seen.add(name + " " + concrete(pattern.getPatternString()));
                    }
                }
            }
        }
        List<String[]> routes = new ArrayList<>();
        seen.stream().sorted(Comparator.naturalOrder()).forEach(s -> routes.add(s.split(" ", 2)));
        return routes;
    }

    /** A path of {@code pattern} with plausible values: ids of the right form, so only auth can refuse them. */
    private static String concrete(String pattern) {
        return pattern.replaceAll("/\\{\\*[^}]*}", "/liveness")
                .replaceAll("\\{[^}]*timeline[^}]*}", TIMELINE)
                .replaceAll("\\{[^}]*tenant[^}]*}", TENANT)
                .replaceAll("\\{[^}]*}", "1")
                .replace("/**", "/liveness");
    }

    private static String token(Scope scope) {
        return Jwt.mint(key, scope == Scope.TENANT ? Claims.tenant(TenantId.parse(TENANT)) : Claims.of(scope));
    }

    private static Answer send(String method, String path, String body, String authorization) {
        return TestHttp.exchangeOnNewConnection(method, base + path, body, authorization);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        FileTrees.deleteRecursively(path);
    }
}
