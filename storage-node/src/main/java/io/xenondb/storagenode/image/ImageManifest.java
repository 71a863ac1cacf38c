package io.xenondb.storagenode.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * An image's metadata, stored as {@code manifests/<name>.json}; its presence is what makes the image exist.
 * Relation files list their page count (their page hashes are in {@code pageMap}, in file order); other files
 * name the blob that holds them.
 */
record ImageManifest(
        @JsonProperty("format") int format,
        @JsonProperty("timeline_id") TimelineId timelineId,
        @JsonProperty("lsn") Lsn lsn,
        @JsonProperty("redo_lsn") Lsn redoLsn,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("logical_size") long logicalSize,
        @JsonProperty("page_map") String pageMap,
        @JsonProperty("page_map_sha256") String pageMapSha256,
        @JsonProperty("directories") List<String> directories,
        @JsonProperty("files") List<Entry> files) {
    static final int FORMAT = 1;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One file: either {@code pages} pages in the page map, or a whole {@code blob}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(
            @JsonProperty("path") String path,
            @JsonProperty("size") long size,
            @JsonProperty("pages") Long pages,
            @JsonProperty("blob") String blob) {
        boolean isPaged() {
            return pages != null;
        }
    }

    byte[] toJson() {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
    }

    static ImageManifest fromJson(byte[] json) {
        return JSON.readValue(json, ImageManifest.class);
    }
}
