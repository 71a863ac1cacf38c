package io.xenondb.storagenode.tenant;

import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.storagenode.image.Image;
import io.xenondb.storagenode.image.ImageStore;
import io.xenondb.storagenode.wal.WalSource;
import java.nio.file.Path;

/** Makes images with a replay worker (DESIGN.md §4): stock PostgreSQL replaying WAL to exactly one LSN. */
public interface ImageMaker {
    /** The first image of a bootstrapped timeline: the initdb output in {@code initdbDir} at {@code lsn}. */
    Image bootstrap(ImageStore store, TimelineId timeline, Path initdbDir, WalSource wal, Lsn lsn);

    /** A new image of {@code timeline} at {@code target}: {@code base} with the WAL up to {@code target} replayed. */
    Image make(ImageStore store, Image base, TimelineId timeline, WalSource wal, Lsn target);
}
