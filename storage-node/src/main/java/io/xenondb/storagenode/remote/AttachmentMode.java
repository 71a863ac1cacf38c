package io.xenondb.storagenode.remote;

import com.fasterxml.jackson.annotation.JsonValue;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;

/**
 * How a storage node holds an attached tenant shard (Neon's {@code LocationConfigMode} attached modes). Only a
 * single attachment deletes: while two nodes are attached (a migration) the other may still read what would be
 * deleted, and a stale one's deletions would fail validation anyway. Uploads are safe in every mode, since keys
 * carry the writer's generation.
 */
public enum AttachmentMode {
    SINGLE("AttachedSingle"),
    MULTI("AttachedMulti"),
    STALE("AttachedStale");

    private final String neonName;

    AttachmentMode(String neonName) {
        this.neonName = neonName;
    }

    public boolean mayDelete() {
        return this == SINGLE;
    }

    /** Parses Neon's name, e.g. {@code AttachedSingle}. */
    public static AttachmentMode parse(String text) {
        for (AttachmentMode mode : values()) {
            if (mode.neonName.equals(text)) {
                return mode;
            }
        }
        throw new XenonException(
                ErrorCode.INVALID_ARGUMENT,
                "attachment mode: " + text + " (expected: AttachedSingle, AttachedMulti or AttachedStale)");
    }

    @JsonValue
    @Override
    public String toString() {
        return neonName;
    }
}
