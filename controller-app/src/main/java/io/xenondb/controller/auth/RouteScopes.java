package io.xenondb.controller.auth;

import io.xenondb.shared.auth.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The one table of which token scope each route of the controller needs, Neon's storage controller's
 * ({@code storage_controller/src/http.rs}): one exact scope per route, {@code admin} passing everywhere (checked by
 * {@link ControllerAuth}); health and metrics need no token. A route missing from the table needs {@code admin},
 * so that a route added without a rule is closed rather than open.
 */
public final class RouteScopes {
    /** Paths served to anyone, as Neon's allow list (health, metrics), whatever the method. */
    private static final Set<String> OPEN =
            Set.of("/status", "/live", "/ready", "/metrics", "/health", "/openapi.yaml");

    private static final PathPattern OPEN_HEALTH = PathPatternParser.defaultInstance.parse("/health/**");

    /** One row: requests of {@code method} on a path matching {@code pattern} need {@code scope}. */
    public record Rule(HttpMethod method, PathPattern pattern, Scope scope) {}

    private final List<Rule> rules;

    private RouteScopes(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Neon's scopes for the controller's routes (and those still to come), most specific pattern first. */
    public static RouteScopes neon() {
        Builder b = new Builder();
        // The "virtual pageserver" API (/v1): what a pageserver client may do, pageserverapi.
        b.rule("POST", "/v1/tenant", Scope.PAGESERVER_API);
        b.rule("PUT", "/v1/tenant/config", Scope.PAGESERVER_API);
        b.rule("PATCH", "/v1/tenant/config", Scope.PAGESERVER_API);
        b.rule("DELETE", "/v1/tenant/{tenant_id}", Scope.PAGESERVER_API);
        b.rule("PUT", "/v1/tenant/{tenant_id}/**", Scope.PAGESERVER_API);
        b.rule("POST", "/v1/tenant/{tenant_id}/**", Scope.PAGESERVER_API);
        b.rule("DELETE", "/v1/tenant/{tenant_id}/**", Scope.PAGESERVER_API);
        // GET /v1/tenant/{id} and below: Neon's passthrough to the node (timeline list and detail, config).
        b.rule("GET", "/v1/tenant/{tenant_id}/**", Scope.PAGESERVER_API);
        b.rule("GET", "/v1/location_config/{tenant_id}", Scope.PAGESERVER_API);
        // Tenants: listing is admin, describing is the scrubber's; placement changes are admin.
        b.rule("GET", "/control/v1/tenant", Scope.ADMIN);
        b.rule("GET", "/control/v1/tenant/{tenant_id}", Scope.SCRUBBER);
        b.rule("GET", "/control/v1/tenant/{tenant_id}/timeline/{timeline_id}", Scope.SCRUBBER);
        // Nodes: registration, listing, drain and fill are infra's; configuration and deletion admin.
        b.rule("POST", "/control/v1/node", Scope.INFRA);
        b.rule("GET", "/control/v1/node", Scope.INFRA);
        b.rule("GET", "/control/v1/node/{node_id}", Scope.INFRA);
        b.rule("PUT", "/control/v1/node/{node_id}/config", Scope.ADMIN);
        b.rule("PUT", "/control/v1/node/{node_id}/drain", Scope.INFRA);
        b.rule("DELETE", "/control/v1/node/{node_id}/drain", Scope.INFRA);
        b.rule("PUT", "/control/v1/node/{node_id}/fill", Scope.INFRA);
        b.rule("DELETE", "/control/v1/node/{node_id}/fill", Scope.INFRA);
        b.rule("PUT", "/control/v1/node/{node_id}/delete", Scope.ADMIN);
        b.rule("DELETE", "/control/v1/node/{node_id}/delete", Scope.INFRA);
        // WAL nodes (Neon's safekeepers): infra, except their scheduling policy.
        b.rule("GET", "/control/v1/safekeeper", Scope.INFRA);
        b.rule("GET", "/control/v1/safekeeper/{id}", Scope.INFRA);
        b.rule("POST", "/control/v1/safekeeper/{id}", Scope.INFRA);
        b.rule("POST", "/control/v1/safekeeper/{id}/scheduling_policy", Scope.ADMIN);
        // Storage nodes' upcalls.
        b.rule("POST", "/upcall/v1/re-attach", Scope.GENERATIONS_API);
        b.rule("POST", "/upcall/v1/validate", Scope.GENERATIONS_API);
        return new RouteScopes(b.rules);
    }

    /** Whether {@code path} needs no token (health and metrics). */
    public boolean isOpen(PathContainer path) {
        return OPEN.contains(path.value()) || OPEN_HEALTH.matches(path);
    }

    /** The scope a request needs; empty if it needs none; {@code admin} for a route without a rule. */
    public Optional<Scope> required(HttpMethod method, PathContainer path) {
        if (isOpen(path)) {
            return Optional.empty();
        }
        return Optional.of(rule(method, path).map(Rule::scope).orElse(Scope.ADMIN));
    }

    /** The rule of a request, if the table has one (tests check that every route has one). */
    public Optional<Rule> rule(HttpMethod method, PathContainer path) {
        return rules.stream()
                .filter(r -> r.method().equals(method) && r.pattern().matches(path))
                .findFirst();
    }

    public List<Rule> rules() {
        return rules;
    }

    private static final class Builder {
        private final List<Rule> rules = new ArrayList<>();

        void rule(String method, String pattern, Scope scope) {
            rules.add(new Rule(HttpMethod.valueOf(method), PathPatternParser.defaultInstance.parse(pattern), scope));
        }
    }
}
