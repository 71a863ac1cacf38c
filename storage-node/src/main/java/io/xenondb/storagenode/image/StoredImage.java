package io.xenondb.storagenode.image;

import java.util.List;
import java.util.Map;

/** An image as held in memory: its files (by path), directories and each relation file's page hashes. */
record StoredImage(
        Image image, Map<String, ImageManifest.Entry> files, List<String> dirs, Map<String, PageHash[]> pages) {}
