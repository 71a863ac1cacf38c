package io.xenondb.storagenode.remote;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.Generation;
import io.xenondb.shared.id.ShardIndex;
import java.util.Objects;

/**
 * One entry of an index's {@code layer_metadata}: the file's size, the generation that wrote it and the shard
 * that wrote it (Neon's {@code LayerFileMetadata}); together with the name they give the file's key. As in Neon,
 * JSON leaves out {@code generation} when there is none and {@code shard} when unsharded.
 */
public record LayerFileMetadata(
        @JsonProperty("file_size") long fileSize,

        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = OmitDefault.class) @JsonProperty("generation")
        Generation generation,

        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = OmitDefault.class) @JsonProperty("shard")
        ShardIndex shard) {

    public LayerFileMetadata {
        if (fileSize < 0) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "file_size: " + fileSize + " (expected: a size in bytes >= 0)");
        }
        Objects.requireNonNull(generation, "generation");
        Objects.requireNonNull(shard, "shard");
    }

    /** Neon omits {@code generation} for files older than generations and {@code shard} for unsharded ones. */
    @JsonCreator
    static LayerFileMetadata fromJson(
            @JsonProperty("file_size") long fileSize,
            @JsonProperty("generation") Generation generation,
            @JsonProperty("shard") ShardIndex shard) {
        return new LayerFileMetadata(
                fileSize,
                generation == null ? Generation.NONE : generation,
                shard == null ? ShardIndex.UNSHARDED : shard);
    }

    /** Jackson value filter: true (leave out) for the values Neon leaves out, no generation and unsharded. */
    static final class OmitDefault {
        @Override
        public boolean equals(Object value) {
            return value == null || Generation.NONE.equals(value) || ShardIndex.UNSHARDED.equals(value);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
