package io.xenondb.storagenode.wal;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.record.BlockReference;
import io.xenondb.shared.wal.record.DecodedRecord;
import io.xenondb.shared.wal.record.ForkNumber;
import io.xenondb.shared.wal.record.RelFileLocator;
import io.xenondb.shared.wal.view.DbaseCreateRecord;
import io.xenondb.shared.wal.view.DbaseDropRecord;
import io.xenondb.shared.wal.view.RelmapUpdateRecord;
import io.xenondb.shared.wal.view.SmgrCreateRecord;
import io.xenondb.shared.wal.view.SmgrTruncateRecord;
import io.xenondb.shared.wal.view.WalRecordView;
import io.xenondb.shared.wal.view.XactRecord;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where one timeline's own WAL last changed each page, each relation and each database: the index of records by
 * the pages they touch (block references) and by the structural changes they make (smgr create and truncate,
 * relations dropped at commit, database create and drop, relmapper updates). It answers "since when has this
 * not changed?", so that a read at LSN L may be served from a snapshot at any LSN between that and L.
 *
 * <p>Only the main fork is tracked per page: redo changes FSM and visibility-map pages without referencing them
 * (clearing a VM bit on insert, FSM updates), so for those forks, and for sizes, the relation's last change of any
 * kind counts. Changes at or below {@link #knownFrom()} are not (all) indexed — WAL before it was never ingested
 * here or was removed by GC — so no answer is older than that. Thread-safe.
 */
public final class ChangeIndex {
    private record Block(long spc, long db, long rel, long block) {}

    private final Map<Block, Long> mainForkPages = new HashMap<>();
    private final Map<RelFileLocator, Long> relationsTouched = new HashMap<>();
    private final Map<RelFileLocator, Long> relationsStructural = new HashMap<>();
    private final Map<Long, Long> databases = new HashMap<>();
    private long knownFrom;
    private long indexedTo;

    /** An index of WAL that begins at {@code knownFrom}. */
    public ChangeIndex(Lsn knownFrom) {
        this.knownFrom = knownFrom.value();
        this.indexedTo = knownFrom.value();
    }

    /** Changes before {@code lsn} may be missing (e.g. WAL that GC removed was skipped). */
    public synchronized void unknownBefore(Lsn lsn) {
        knownFrom = Math.max(knownFrom, lsn.value());
        indexedTo = Math.max(indexedTo, lsn.value());
    }

    public synchronized Lsn knownFrom() {
        return Lsn.of(knownFrom);
    }

    /** Indexes the next record (in LSN order). */
    public synchronized void add(DecodedRecord record) {
        long end = record.endLsn().value();
        for (BlockReference ref : record.blocks()) {
            RelFileLocator rel = ref.rel();
            relationsTouched.put(rel, end);
            if (ref.fork() == ForkNumber.MAIN) {
                mainForkPages.put(new Block(rel.spcOid(), rel.dbOid(), rel.relNumber(), ref.blockNumber()), end);
            }
        }
        structural(record, end);
        indexedTo = end;
    }

    private void structural(DecodedRecord record, long end) {
        Optional<WalRecordView> view;
        try {
            view = WalRecordView.of(record);
        } catch (RuntimeException e) {
            // A record this index cannot read counts as changing everything from here on.
            knownFrom = end;
            return;
        }
        if (view.isEmpty()) {
            return;
        }
        switch (view.get()) {
            case SmgrCreateRecord create -> relationsStructural.put(create.rel(), end);
            case SmgrTruncateRecord truncate -> relationsStructural.put(truncate.rel(), end);
            case XactRecord xact -> xact.droppedRels().forEach(rel -> relationsStructural.put(rel, end));
            case DbaseCreateRecord create -> databases.put(create.dbOid(), end);
            case DbaseDropRecord drop -> databases.put(drop.dbOid(), end);
            case RelmapUpdateRecord relmap -> databases.put(relmap.dbOid(), end);
            default -> {}
        }
    }

    /**
     * The LSN since which none of {@code blocks} of the relation fork changed, nor the relation or its database,
     * as far as this timeline's WAL up to {@code lsn} shows; empty if the index does not reach {@code lsn}.
     */
    public synchronized Optional<Lsn> pagesUnchangedSince(
            long spc, long db, long rel, int fork, Iterable<Long> blocks, Lsn lsn) {
        if (Long.compareUnsigned(indexedTo, lsn.value()) < 0) {
            return Optional.empty();
        }
        long since = Math.max(knownFrom, Math.max(relationChange(spc, db, rel, fork), databases.getOrDefault(db, 0L)));
        if (fork == ForkNumber.MAIN.id()) {
            for (long block : blocks) {
                since = Math.max(since, mainForkPages.getOrDefault(new Block(spc, db, rel, block), 0L));
            }
        }
        return since > lsn.value() ? Optional.empty() : Optional.of(Lsn.of(since));
    }

    /** The LSN since which the relation (its size, any of its forks) and its database did not change. */
    public synchronized Optional<Lsn> relationUnchangedSince(long spc, long db, long rel, Lsn lsn) {
        if (Long.compareUnsigned(indexedTo, lsn.value()) < 0) {
            return Optional.empty();
        }
        RelFileLocator locator = new RelFileLocator(spc, db, rel);
        long since = Math.max(
                Math.max(knownFrom, databases.getOrDefault(db, 0L)),
                Math.max(relationsTouched.getOrDefault(locator, 0L), relationsStructural.getOrDefault(locator, 0L)));
        return since > lsn.value() ? Optional.empty() : Optional.of(Lsn.of(since));
    }

    /** For the main fork structural changes only (its pages are checked one by one); for the others any change. */
    private long relationChange(long spc, long db, long rel, int fork) {
        RelFileLocator locator = new RelFileLocator(spc, db, rel);
        long structural = relationsStructural.getOrDefault(locator, 0L);
        return fork == ForkNumber.MAIN.id()
                ? structural
                : Math.max(structural, relationsTouched.getOrDefault(locator, 0L));
    }
}
