package io.xenondb.storagenode.image;

import java.util.regex.Pattern;

/** Which files of a data directory are relation segments, stored as deduplicated pages. */
public final class RelationFiles {
    /** PostgreSQL's page size (BLCKSZ). */
    public static final int PAGE_SIZE = 8192;

    // base/<db oid>/<relfilenode>[_fork][.segment], global/<relfilenode>..., pg_tblspc/<oid>/<version dir>/<db>/<...>
    private static final Pattern SEGMENT = Pattern.compile("\\d+(_(fsm|vm|init))?(\\.\\d+)?");

    private RelationFiles() {}

    /** Whether {@code relPath} (a '/'-separated path inside the data directory) names a relation segment. */
    public static boolean isRelationSegment(String relPath) {
        boolean underRelationDir =
                relPath.startsWith("base/") || relPath.startsWith("global/") || relPath.startsWith("pg_tblspc/");
        int slash = relPath.lastIndexOf('/');
        return underRelationDir && SEGMENT.matcher(relPath.substring(slash + 1)).matches();
    }
}
