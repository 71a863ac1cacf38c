package io.xenondb.storagenode.remote;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A timeline's {@code index_part.json}: the files that make it up and where it stands, with Neon's field names.
 * Every file it names was uploaded before it. Unknown fields (Neon's {@code lineage}, {@code gc_blocking}, ...,
 * or the storage node's own) are kept in {@link #other} and written back unchanged, so readers tolerate them and
 * rewriting an index never drops them.
 *
 * @param layerMetadata every file of the timeline by name (a layer, an image, WAL: the storage node decides)
 * @param deletedAt when the timeline was deleted (Neon's naive date-time text), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IndexPart(
        @JsonProperty("version") int version,
        @JsonProperty("layer_metadata") SortedMap<String, LayerFileMetadata> layerMetadata,
        @JsonProperty("disk_consistent_lsn") Lsn diskConsistentLsn,
        @JsonProperty("metadata") TimelineMetadata metadata,
        @JsonProperty("deleted_at") String deletedAt,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {

    /** The version Xenon writes; readers accept any. */
    public static final int VERSION = 14;

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public IndexPart {
        Objects.requireNonNull(metadata, "metadata");
        layerMetadata =
                Collections.unmodifiableSortedMap(new TreeMap<>(layerMetadata == null ? Map.of() : layerMetadata));
        layerMetadata.keySet().forEach(RemotePaths::checkName);
        diskConsistentLsn = diskConsistentLsn == null ? metadata.diskConsistentLsn() : diskConsistentLsn;
        other = Collections.unmodifiableMap(new LinkedHashMap<>(other == null ? Map.of() : other));
    }

    /** A new index of the current version without extra fields. */
    public static IndexPart of(Map<String, LayerFileMetadata> files, TimelineMetadata metadata) {
        return new IndexPart(VERSION, new TreeMap<>(files), metadata.diskConsistentLsn(), metadata, null, Map.of());
    }

    /** This index with {@code files} as its files (other fields kept). */
    public IndexPart withFiles(Map<String, LayerFileMetadata> files) {
        return new IndexPart(version, new TreeMap<>(files), diskConsistentLsn, metadata, deletedAt, other);
    }

    /** This index with {@code metadata} (and its disk-consistent LSN). */
    public IndexPart withMetadata(TimelineMetadata newMetadata) {
        return new IndexPart(version, layerMetadata, newMetadata.diskConsistentLsn(), newMetadata, deletedAt, other);
    }

    public byte[] toJson() {
        return JSON.writeValueAsBytes(this);
    }

    /** Parses index JSON; a damaged or incomplete index is {@code INTERNAL} saying what is wrong. */
    public static IndexPart fromJson(byte[] json) {
        try {
            IndexPart index = JSON.readValue(json, IndexPart.class);
            if (index == null) {
                throw new XenonException(ErrorCode.INTERNAL, "index_part.json: null (expected: a JSON object)");
            }
            return index;
        } catch (JacksonException | NullPointerException | IllegalArgumentException e) {
            throw new XenonException(
                    ErrorCode.INTERNAL,
                    "index_part.json: unreadable (expected: Neon's index_part JSON): " + e.getMessage(),
                    e);
        }
    }
}
