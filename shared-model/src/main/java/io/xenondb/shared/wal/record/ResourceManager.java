package io.xenondb.shared.wal.record;

import java.util.Optional;

/**
 * PostgreSQL 17's built-in resource managers (rmgrlist.h) with the names pg_walinspect prints, plus
 * {@link #CUSTOM} for extension-defined ids 128..255.
 */
public enum ResourceManager {
    XLOG(0, "XLOG"),
    TRANSACTION(1, "Transaction"),
    STORAGE(2, "Storage"),
    CLOG(3, "CLOG"),
    DATABASE(4, "Database"),
    TABLESPACE(5, "Tablespace"),
    MULTIXACT(6, "MultiXact"),
    RELMAP(7, "RelMap"),
    STANDBY(8, "Standby"),
    HEAP2(9, "Heap2"),
    HEAP(10, "Heap"),
    BTREE(11, "Btree"),
    HASH(12, "Hash"),
    GIN(13, "Gin"),
    GIST(14, "Gist"),
    SEQUENCE(15, "Sequence"),
    SPGIST(16, "SPGist"),
    BRIN(17, "BRIN"),
    COMMIT_TS(18, "CommitTs"),
    REPLICATION_ORIGIN(19, "ReplicationOrigin"),
    GENERIC(20, "Generic"),
    LOGICAL_MESSAGE(21, "LogicalMessage"),
    /** Any id in RM_MIN_CUSTOM_ID..RM_MAX_CUSTOM_ID; the record keeps the exact id. */
    CUSTOM(-1, "custom");

    /** RM_MAX_BUILTIN_ID. */
    public static final int MAX_BUILTIN_ID = 21;

    public static final int MIN_CUSTOM_ID = 128;
    public static final int MAX_CUSTOM_ID = 255;

    private static final ResourceManager[] BUILTIN = new ResourceManager[MAX_BUILTIN_ID + 1];

    static {
        for (ResourceManager rm : values()) {
            if (rm.id >= 0) {
                BUILTIN[rm.id] = rm;
            }
        }
    }

    private final int id;
    private final String pgName;

    ResourceManager(int id, String pgName) {
        this.id = id;
        this.pgName = pgName;
    }

    /** The rmgr id; -1 for {@link #CUSTOM}, whose records carry their own id. */
    public int id() {
        return id;
    }

    /** The name pg_walinspect prints in {@code resource_manager}. */
    public String pgName() {
        return pgName;
    }

    /** The resource manager of a record's xl_rmid, or empty if the id is not valid in PostgreSQL 17. */
    public static Optional<ResourceManager> ofId(int rmid) {
        if (rmid >= 0 && rmid <= MAX_BUILTIN_ID) {
            return Optional.of(BUILTIN[rmid]);
        }
        if (rmid >= MIN_CUSTOM_ID && rmid <= MAX_CUSTOM_ID) {
            return Optional.of(CUSTOM);
        }
        return Optional.empty();
    }

    /** The display name of rmgr id {@code rmid}: the built-in name, or {@code custom###} as pg_waldump prints. */
    public static String nameOf(int rmid) {
        return ofId(rmid)
                .map(rm -> rm == CUSTOM ? String.format("custom%03d", rmid) : rm.pgName)
                .orElse("invalid" + rmid);
    }
}
