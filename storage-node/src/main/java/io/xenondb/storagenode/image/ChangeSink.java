package io.xenondb.storagenode.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Receives what changed from one image to another ({@link ImageStore#forEachChange}): first the paths of the newer
 * image, then its directories and the files that differ in path order, each either whole ({@link #file}) or, for a
 * relation file both images hold, as its changed blocks ({@link #delta}).
 */
public interface ChangeSink extends FileSink {
    /** Every directory and file of the newer image, sorted by path. */
    void paths(List<String> directories, List<String> files) throws IOException;

    /**
     * A relation file whose size or some of whose blocks changed: its new size, the changed block numbers
     * (ascending, all below the new size) and their pages, concatenated in that order in {@code pages}.
     */
    void delta(String path, long newSize, int[] blocks, InputStream pages) throws IOException;
}
