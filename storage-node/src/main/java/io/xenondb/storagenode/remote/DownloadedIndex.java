package io.xenondb.storagenode.remote;

import io.xenondb.shared.id.Generation;
import java.util.Objects;

/** An index read from remote storage and the generation that wrote it. */
public record DownloadedIndex(Generation generation, IndexPart index) {
    public DownloadedIndex {
        Objects.requireNonNull(generation, "generation");
        Objects.requireNonNull(index, "index");
    }
}
