package io.xenondb.shared.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.Arrays;

/** The {@code scope} claim of a token, with Neon's names ({@code libs/utils/src/auth.rs}). */
public enum Scope {
    /** One tenant's data; the token carries its {@code tenant_id}. */
    TENANT("tenant"),
    TENANT_ENDPOINT("tenantendpoint"),
    /** A storage node's management API and every tenant's data on it. */
    PAGESERVER_API("pageserverapi"),
    /** WAL nodes' data (storage nodes pulling WAL, the controller). */
    SAFEKEEPER_DATA("safekeeperdata"),
    /** The controller's upcalls (re-attach, validate). */
    GENERATIONS_API("generations_api"),
    /** Everything. */
    ADMIN("admin"),
    INFRA("infra"),
    SCRUBBER("scrubber"),
    CONTROLLER_PEER("controller_peer");

    private final String text;

    Scope(String text) {
        this.text = text;
    }

    @JsonCreator
    public static Scope parse(String text) {
        return Arrays.stream(values())
                .filter(s -> s.text.equals(text))
                .findFirst()
                .orElseThrow(() -> new XenonException(
                        ErrorCode.UNAUTHENTICATED,
                        "token scope: " + text + " (expected one of "
                                + Arrays.stream(values()).map(Scope::toString).toList() + ")"));
    }

    @JsonValue
    @Override
    public String toString() {
        return text;
    }
}
