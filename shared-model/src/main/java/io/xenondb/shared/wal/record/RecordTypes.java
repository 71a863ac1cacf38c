package io.xenondb.shared.wal.record;

import java.util.EnumMap;
import java.util.Map;

/**
 * The record type names each resource manager's {@code rm_identify} gives for PostgreSQL 17 (the
 * {@code record_type} column of pg_walinspect). Tables are indexed by the high nibble of xl_info; the
 * Transaction rmgr ignores its 0x80 bit (XLOG_XACT_HAS_INFO).
 */
final class RecordTypes {
    private RecordTypes() {}

    private static final Map<ResourceManager, String[]> NAMES = new EnumMap<>(ResourceManager.class);

    private static void define(ResourceManager rm, String... byHighNibble) {
        String[] table = new String[16];
        System.arraycopy(byHighNibble, 0, table, 0, byHighNibble.length);
        NAMES.put(rm, table);
    }

    static {
        define(
                ResourceManager.XLOG,
                "CHECKPOINT_SHUTDOWN",
                "CHECKPOINT_ONLINE",
                "NOOP",
                "NEXTOID",
                "SWITCH",
                "BACKUP_END",
                "PARAMETER_CHANGE",
                "RESTORE_POINT",
                "FPW_CHANGE",
                "END_OF_RECOVERY",
                "FPI_FOR_HINT",
                "FPI",
                null,
                "OVERWRITE_CONTRECORD",
                "CHECKPOINT_REDO");
        define(
                ResourceManager.TRANSACTION,
                "COMMIT",
                "PREPARE",
                "ABORT",
                "COMMIT_PREPARED",
                "ABORT_PREPARED",
                "ASSIGNMENT",
                "INVALIDATION");
        define(ResourceManager.STORAGE, null, "CREATE", "TRUNCATE");
        define(ResourceManager.CLOG, "ZEROPAGE", "TRUNCATE");
        define(ResourceManager.DATABASE, "CREATE_FILE_COPY", "CREATE_WAL_LOG", "DROP");
        define(ResourceManager.TABLESPACE, "CREATE", "DROP");
        define(ResourceManager.MULTIXACT, "ZERO_OFF_PAGE", "ZERO_MEM_PAGE", "CREATE_ID", "TRUNCATE_ID");
        define(ResourceManager.RELMAP, "UPDATE");
        define(ResourceManager.STANDBY, "LOCK", "RUNNING_XACTS", "INVALIDATIONS");
        define(
                ResourceManager.HEAP2,
                "REWRITE",
                "PRUNE_ON_ACCESS",
                "PRUNE_VACUUM_SCAN",
                "PRUNE_VACUUM_CLEANUP",
                "VISIBLE",
                "MULTI_INSERT",
                "LOCK_UPDATED",
                "NEW_CID",
                null,
                null,
                null,
                null,
                null,
                "MULTI_INSERT+INIT");
        define(
                ResourceManager.HEAP,
                "INSERT",
                "DELETE",
                "UPDATE",
                "TRUNCATE",
                "HOT_UPDATE",
                "CONFIRM",
                "LOCK",
                "INPLACE",
                "INSERT+INIT",
                null,
                "UPDATE+INIT",
                null,
                "HOT_UPDATE+INIT");
        define(
                ResourceManager.BTREE,
                "INSERT_LEAF",
                "INSERT_UPPER",
                "INSERT_META",
                "SPLIT_L",
                "SPLIT_R",
                "INSERT_POST",
                "DEDUP",
                "DELETE",
                "UNLINK_PAGE",
                "UNLINK_PAGE_META",
                "NEWROOT",
                "MARK_PAGE_HALFDEAD",
                "VACUUM",
                "REUSE_PAGE",
                "META_CLEANUP");
        define(
                ResourceManager.HASH,
                "INIT_META_PAGE",
                "INIT_BITMAP_PAGE",
                "INSERT",
                "ADD_OVFL_PAGE",
                "SPLIT_ALLOCATE_PAGE",
                "SPLIT_PAGE",
                "SPLIT_COMPLETE",
                "MOVE_PAGE_CONTENTS",
                "SQUEEZE_PAGE",
                "DELETE",
                "SPLIT_CLEANUP",
                "UPDATE_META_PAGE",
                "VACUUM_ONE_PAGE");
        define(
                ResourceManager.GIN,
                null,
                "CREATE_PTREE",
                "INSERT",
                "SPLIT",
                "VACUUM_PAGE",
                "DELETE_PAGE",
                "UPDATE_META_PAGE",
                "INSERT_LISTPAGE",
                "DELETE_LISTPAGE",
                "VACUUM_DATA_LEAF_PAGE");
        define(
                ResourceManager.GIST,
                "PAGE_UPDATE",
                "DELETE",
                "PAGE_REUSE",
                "PAGE_SPLIT",
                null,
                null,
                "PAGE_DELETE",
                "ASSIGN_LSN");
        define(ResourceManager.SEQUENCE, "LOG");
        define(
                ResourceManager.SPGIST,
                null,
                "ADD_LEAF",
                "MOVE_LEAFS",
                "ADD_NODE",
                "SPLIT_TUPLE",
                "PICKSPLIT",
                "VACUUM_LEAF",
                "VACUUM_ROOT",
                "VACUUM_REDIRECT");
        define(
                ResourceManager.BRIN,
                "CREATE_INDEX",
                "INSERT",
                "UPDATE",
                "SAMEPAGE_UPDATE",
                "REVMAP_EXTEND",
                "DESUMMARIZE",
                null,
                null,
                null,
                "INSERT+INIT",
                "UPDATE+INIT");
        define(ResourceManager.COMMIT_TS, "ZEROPAGE", "TRUNCATE");
        define(ResourceManager.REPLICATION_ORIGIN, "SET", "DROP");
        define(ResourceManager.LOGICAL_MESSAGE, "MESSAGE");
    }

    /**
     * The record type name for {@code info} (the full xl_info byte), or pg_walinspect's
     * {@code UNKNOWN (<hex>)} when the rmgr does not know that value.
     */
    static String name(ResourceManager rm, int info) {
        if (rm == ResourceManager.GENERIC) {
            return "Generic";
        }
        int nibble = (info >> 4) & 0x0F;
        if (rm == ResourceManager.TRANSACTION) {
            nibble &= 0x07;
        }
        String[] table = NAMES.get(rm);
        String name = table == null ? null : table[nibble];
        return name != null ? name : "UNKNOWN (" + Integer.toHexString(info & 0xF0) + ")";
    }
}
