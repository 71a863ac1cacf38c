package io.xenondb.shared.wal.record;

/** How a full-page image is stored (bimg_info compression bits). Only pglz can be restored here. */
public enum ImageCompression {
    NONE,
    PGLZ,
    LZ4,
    ZSTD
}
