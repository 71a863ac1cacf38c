package io.xenondb.storagenode.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares two stored images by content address: a relation block changed when its page hash differs, another file
 * when its blob differs. No WAL is read.
 */
final class ImageDiff {
    /** Reads a whole stored file (a blob). */
    interface BlobOpener {
        InputStream open(String blob) throws IOException;
    }

    private ImageDiff() {}

    static void run(
            StoredImage from, StoredImage to, ChangeSink sink, BlobOpener blobs, PagedInputStream.PageReader pages)
            throws IOException {
        sink.paths(
                List.copyOf(new TreeSet<>(to.dirs())),
                List.copyOf(new TreeSet<>(to.files().keySet())));
        TreeMap<String, ImageManifest.Entry> all = new TreeMap<>(to.files());
        to.dirs().forEach(d -> all.put(d, null));
        for (Map.Entry<String, ImageManifest.Entry> e : all.entrySet()) {
            String path = e.getKey();
            ImageManifest.Entry now = e.getValue();
            if (now == null) {
                sink.directory(path);
                continue;
            }
            ImageManifest.Entry before = from.files().get(path);
            if (now.isPaged() && before != null && before.isPaged()) {
                PageHash[] old = from.pages().get(path);
                PageHash[] current = to.pages().get(path);
                List<Integer> changed = new ArrayList<>();
                for (int i = 0; i < current.length; i++) {
                    if (i >= old.length || !current[i].equals(old[i])) {
                        changed.add(i);
                    }
                }
                if (changed.isEmpty() && old.length == current.length) {
                    continue;
                }
                int[] blocks = changed.stream().mapToInt(Integer::intValue).toArray();
                PageHash[] changedPages =
                        Arrays.stream(blocks).mapToObj(b -> current[b]).toArray(PageHash[]::new);
                try (InputStream in = new PagedInputStream(changedPages, pages)) {
                    sink.delta(path, now.size(), blocks, in);
                }
            } else if (now.isPaged()) {
                try (InputStream in = new PagedInputStream(to.pages().get(path), pages)) {
                    sink.file(path, now.size(), in);
                }
            } else if (before == null || before.isPaged() || !Objects.equals(before.blob(), now.blob())) {
                try (InputStream in = blobs.open(now.blob())) {
                    sink.file(path, now.size(), in);
                }
            }
        }
    }
}
