package io.xenondb.compute.ctl;

import io.xenondb.compute.start.Compute;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * What a compute serves, in Neon's spec shape: {@code "Primary"} (read-write, WAL to the WAL nodes) or
 * {@code {"Static": "0/16B5A50"}} (read-only at one LSN).
 */
public sealed interface ComputeMode {
    String EXPECTED = "\"Primary\" or {\"Static\": \"X/X\"}";

    /** The read-write compute of a timeline. */
    record Primary() implements ComputeMode {
        @Override
        public String toString() {
            return "Primary";
        }
    }

    /** A read-only compute at {@code lsn}. */
    record Static(Lsn lsn) implements ComputeMode {
        public Static {
            Objects.requireNonNull(lsn, "lsn");
            if (!lsn.isValid()) {
                throw new XenonException(ErrorCode.INVALID_LSN, "mode: Static at " + lsn + " (expected: a valid LSN)");
            }
        }

        @Override
        public String toString() {
            return "Static(" + lsn + ")";
        }
    }

    /** Reads Neon's JSON form; anything else is refused naming what was given. */
    static ComputeMode fromJson(JsonNode node) {
        if (node != null && node.isString() && node.asString().equals("Primary")) {
            return new Primary();
        }
        if (node != null && node.isObject() && node.size() == 1 && node.has("Static")) {
            JsonNode lsn = node.get("Static");
            if (!lsn.isString()) {
                throw invalid(node);
            }
            try {
                return new Static(Lsn.parse(lsn.asString()));
            } catch (XenonException e) {
                throw new XenonException(ErrorCode.INVALID_LSN, "mode: " + e.getMessage(), e);
            }
        }
        throw invalid(node);
    }

    /** Neon's JSON form: the text {@code Primary} or a map {@code Static -> LSN text}. */
    default Object toJson() {
        return switch (this) {
            case Primary p -> "Primary";
            case Static s -> Map.of("Static", s.lsn().toString());
        };
    }

    /** The start mode of {@link Compute}. */
    default Compute.Mode computeMode() {
        return this instanceof Static ? Compute.Mode.STATIC : Compute.Mode.PRIMARY;
    }

    /** The LSN of a static compute; {@link Lsn#INVALID} for a primary (it starts where the WAL nodes are). */
    default Lsn lsn() {
        return this instanceof Static s ? s.lsn() : Lsn.INVALID;
    }

    private static XenonException invalid(JsonNode node) {
        String given = node == null ? "missing" : shown(node.toString());
        return new XenonException(ErrorCode.INVALID_ARGUMENT, "mode: " + given + " (expected: " + EXPECTED + ")");
    }

    private static String shown(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
