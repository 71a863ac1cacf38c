package io.xenondb.storagenode.timeline;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.io.DurableFiles;
import io.xenondb.shared.io.FileTrees;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.decode.WalStreamDecoder;
import io.xenondb.shared.wal.record.DecodedRecord;
import io.xenondb.storagenode.wal.ChangeIndex;
import io.xenondb.storagenode.wal.HistoryWalSource;
import io.xenondb.storagenode.wal.RecordIndex;
import io.xenondb.storagenode.wal.TimelineWal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * One timeline of a tenant shard on this storage node: its metadata ({@code timeline.json}), its own WAL, the
 * index of its records, and its ancestor (for a branch). WAL is added by one writer at a time ({@link
 * #ingest}); everything else may be read concurrently.
 */
public final class Timeline implements AutoCloseable {
    static final String METADATA_FILE = "timeline.json";
    static final String WAL_DIR = "wal";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TenantShardId tenant;
    private final Path dir;
    private final Timeline ancestor;
    private final TimelineWal wal;
    private final RecordIndex index;
    private final ChangeIndex changes;
    private final LsnWaiters waiters;
    private volatile TimelineMetadata metadata;
    private volatile TimelineState state = TimelineState.Active;
    private final java.util.concurrent.atomic.AtomicLong bytesIngested = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong recordsIngested = new java.util.concurrent.atomic.AtomicLong();
    // Remote sync hook: the disk_consistent_lsn of the newest index_part.json uploaded (INVALID before any).
    private volatile Lsn remoteConsistentLsn = Lsn.INVALID;

    private Timeline(
            TenantShardId tenant,
            Path dir,
            TimelineMetadata metadata,
            Timeline ancestor,
            TimelineWal wal,
            RecordIndex index,
            ChangeIndex changes) {
        this.tenant = tenant;
        this.dir = dir;
        this.metadata = metadata;
        this.ancestor = ancestor;
        this.wal = wal;
        this.index = index;
        this.changes = changes;
        this.waiters = new LsnWaiters(wal.end());
    }

    /**
     * Creates the timeline's directory with {@code metadata} and its WAL, {@code initialWal} being the WAL
     * {@code [start_lsn, disk_consistent_lsn)} it starts with (initdb's WAL for a bootstrap, nothing for a
     * branch). The directory appears only once complete: it is built under a temporary name and renamed.
     */
    public static Timeline create(
            TenantShardId tenant, Path dir, TimelineMetadata metadata, Timeline ancestor, ByteBuffer initialWal)
            throws IOException {
        Path tmp = dir.resolveSibling(dir.getFileName() + ".___temp");
        FileTrees.deleteRecursively(tmp);
        Files.createDirectories(tmp);
        try (TimelineWal w = TimelineWal.create(tmp.resolve(WAL_DIR), metadata.startLsn())) {
            if (initialWal.hasRemaining()) {
                w.append(metadata.startLsn(), initialWal);
            }
            if (!w.writeEnd().equals(metadata.diskConsistentLsn())) {
                throw new IllegalArgumentException(
                        "initial WAL ends at " + w.writeEnd() + ", metadata says " + metadata.diskConsistentLsn());
            }
            w.sync();
        }
        DurableFiles.writeAtomically(tmp.resolve(METADATA_FILE), JSON.writeValueAsBytes(metadata));
        Files.move(tmp, dir);
        DurableFiles.syncDirectory(dir.getParent());
        return load(tenant, dir, ancestor);
    }

    /** Opens the timeline in {@code dir}: its WAL up to disk_consistent_lsn, and the index rebuilt from it. */
    public static Timeline load(TenantShardId tenant, Path dir, Timeline ancestor) throws IOException {
        TimelineMetadata metadata = readMetadata(dir);
        TimelineWal wal = TimelineWal.open(dir.resolve(WAL_DIR), metadata.walStartLsn(), metadata.diskConsistentLsn());
        RecordIndex index = new RecordIndex(metadata.walStartLsn());
        ChangeIndex changes = new ChangeIndex(metadata.walStartLsn());
        Lsn end = reindex(wal, index, changes, metadata.walStartLsn(), metadata.diskConsistentLsn());
        if (!end.equals(metadata.diskConsistentLsn())) {
            wal.close();
            throw new IOException("timeline " + dir + ": its WAL decodes to " + end + ", but disk_consistent_lsn is "
                    + metadata.diskConsistentLsn());
        }
        return new Timeline(tenant, dir, metadata, ancestor, wal, index, changes);
    }

    /** Reads the metadata file of the timeline in {@code dir}. */
    public static TimelineMetadata readMetadata(Path dir) throws IOException {
        return JSON.readValue(Files.readAllBytes(dir.resolve(METADATA_FILE)), TimelineMetadata.class);
    }

    /**
     * Rebuilds the records index from the WAL on disk; returns the end of the last record. Segments GC removed
     * inside the WAL are skipped: decoding starts again at the next segment present.
     */
    private static Lsn reindex(TimelineWal wal, RecordIndex index, ChangeIndex changes, Lsn start, Lsn end)
            throws IOException {
        WalStreamDecoder decoder = new WalStreamDecoder(start);
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        Lsn last = start;
        for (Lsn pos = start; pos.isBefore(end); ) {
            long segNo = pos.segmentNumber();
            Lsn segEnd = Lsn.ofSegment(segNo + 1, Lsn.WAL_SEGMENT_SIZE);
            if (!wal.hasSegment(segNo)) {
                changes.unknownBefore(Lsn.min(segEnd, end));
                pos = segEnd;
                decoder = new WalStreamDecoder(segEnd);
                continue;
            }
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), Lsn.min(end, segEnd).minus(pos)));
            wal.read(pos, buffer);
            decoder.feed(buffer.array(), 0, buffer.limit());
            pos = pos.plus(buffer.limit());
            while (decoder.hasRecord()) {
                DecodedRecord record = decoder.poll();
                index.add(record);
                changes.add(record);
                last = record.endLsn();
            }
        }
        return last;
    }

    /** GC: removes whole segments of this timeline's own WAL that no read needs (see TimelineWal#removeSegment). */
    public synchronized void removeWalSegment(long segNo) throws IOException {
        wal.removeSegment(segNo);
    }

    /** Whether this timeline's WAL segment {@code segNo} is held locally. */
    public boolean holdsWalSegment(long segNo) {
        return wal.hasSegment(segNo);
    }

    /** Where this timeline's local WAL starts (after GC, above its logical start). */
    public Lsn walStart() {
        return wal.start();
    }

    public TenantShardId tenant() {
        return tenant;
    }

    public TimelineId id() {
        return metadata.timelineId();
    }

    public TimelineMetadata metadata() {
        return metadata;
    }

    public Optional<Timeline> ancestor() {
        return Optional.ofNullable(ancestor);
    }

    public TimelineState state() {
        return state;
    }

    public Path directory() {
        return dir;
    }

    /** The end of the last WAL record ingested (Neon's last_record_lsn). */
    public Lsn lastRecordLsn() {
        return wal.end();
    }

    public Lsn diskConsistentLsn() {
        return metadata.diskConsistentLsn();
    }

    /** WAL below this is in object storage: the disk_consistent_lsn of the newest index uploaded. */
    public Lsn remoteConsistentLsn() {
        return remoteConsistentLsn;
    }

    /** Set by remote sync after an index is uploaded (or found at attach); never moves back. */
    public synchronized void advanceRemoteConsistentLsn(Lsn lsn) {
        if (lsn.isAfter(remoteConsistentLsn)) {
            remoteConsistentLsn = lsn;
        }
    }

    /** Bytes of WAL held locally for this timeline. */
    public long walPhysicalSize() {
        return wal.physicalSize();
    }

    /** The WAL of this timeline's whole history: its own and, below its branch point, its ancestors'. */
    public HistoryWalSource history() {
        HistoryWalSource history = HistoryWalSource.of(wal);
        Timeline child = this;
        for (Timeline a = ancestor; a != null; child = a, a = a.ancestor) {
            history = history.withAncestor(a.wal, child.metadata.ancestorLsn());
        }
        return history;
    }

    /**
     * The greatest record boundary at or below {@code lsn} in this timeline's history.
     *
     * @throws XenonException LSN_NOT_AVAILABLE if {@code lsn} is below the history's oldest record boundary
     */
    public Lsn snapToRecordBoundary(Lsn lsn) {
        Timeline t = this;
        while (lsn.isBefore(t.metadata.startLsn())) {
            if (t.ancestor == null) {
                throw new XenonException(
                        ErrorCode.LSN_NOT_AVAILABLE,
                        "lsn " + lsn + " is below the start of the WAL of" + " timeline " + id() + " ("
                                + t.metadata.startLsn() + ")");
            }
            t = t.ancestor;
        }
        try {
            return t.index.snapDown(lsn, t.history());
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "reading the WAL of timeline " + id() + " failed: " + e, e);
        }
    }

    /** WAL bytes received by ingest since the node started. */
    public long bytesIngested() {
        return bytesIngested.get();
    }

    /** WAL records decoded by ingest since the node started. */
    public long recordsIngested() {
        return recordsIngested.get();
    }

    /**
     * {@link RecordIndex#lsnForTimestamp} over this timeline's whole history: its own commits and, below its branch
     * point, its ancestors' (never an ancestor's commit above the branch point, which this timeline does not have).
     */
    public RecordIndex.CommitPoint lsnForTimestamp(Instant time) {
        return lsnForTimestamp(time, Lsn.MAX);
    }

    private RecordIndex.CommitPoint lsnForTimestamp(Instant time, Lsn limit) {
        RecordIndex.CommitPoint own = index.lsnForTimestamp(time, limit);
        boolean ownHasIt =
                own.kind() == RecordIndex.TimestampKind.PRESENT || own.kind() == RecordIndex.TimestampKind.FUTURE;
        if (ownHasIt || ancestor == null) {
            return own;
        }
        RecordIndex.CommitPoint below = ancestor.lsnForTimestamp(time, metadata.ancestorLsn());
        if (below.kind() != RecordIndex.TimestampKind.FUTURE || own.kind() == RecordIndex.TimestampKind.NODATA) {
            return below;
        }
        // Every commit below the branch point is earlier, every commit of this timeline later.
        return new RecordIndex.CommitPoint(RecordIndex.TimestampKind.PRESENT, below.lsn());
    }

    /** The commit time of the last commit at or below {@code lsn} in this timeline's history. */
    public Optional<Instant> timestampOfLsn(Lsn lsn) {
        Optional<Instant> own = index.timestampOfLsn(lsn);
        if (own.isPresent() || ancestor == null) {
            return own;
        }
        return ancestor.timestampOfLsn(Lsn.min(lsn, metadata.ancestorLsn()));
    }

    /** Where this timeline's own WAL last changed each page, relation and database. */
    public ChangeIndex changes() {
        return changes;
    }

    /** The index of this timeline's own records. */
    public RecordIndex index() {
        return index;
    }

    /** Completes when the WAL reaches {@code lsn}, failing with UNAVAILABLE after {@code timeout}. */
    public CompletableFuture<Lsn> waitForLsn(Lsn lsn, Duration timeout) {
        return waiters.waitFor(lsn)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(
                        e instanceof java.util.concurrent.TimeoutException
                                ? new XenonException(
                                        ErrorCode.UNAVAILABLE,
                                        "timed out after " + timeout
                                                + " waiting for the WAL of timeline " + id() + " to reach " + lsn
                                                + " (it is at " + lastRecordLsn() + ")")
                                : e));
    }

    /**
     * Starts adding WAL at {@link #lastRecordLsn()}: bytes of a record that had only partly arrived are
     * forgotten, since the new stream starts at that record again.
     */
    public synchronized IngestWriter ingest() {
        wal.discardPartial();
        return new IngestWriter(wal.end());
    }

    /** Makes everything ingested durable locally and records it as disk_consistent_lsn. */
    public synchronized Lsn persist() throws IOException {
        Lsn end = wal.end();
        if (end.equals(metadata.diskConsistentLsn())) {
            return end;
        }
        wal.sync();
        writeMetadata(metadata.withDiskConsistentLsn(end));
        return end;
    }

    /**
     * GC: drops the local WAL wholly below {@code lsn} (see {@link TimelineWal#truncateBelow}) and records where
     * the WAL now starts. Returns that start.
     */
    public synchronized Lsn dropWalBelow(Lsn lsn) throws IOException {
        Lsn start = Lsn.max(wal.start(), Lsn.ofSegment(lsn.segmentNumber(), Lsn.WAL_SEGMENT_SIZE));
        if (!start.equals(metadata.walStartLsn())) {
            // Metadata first: a crash before the files are gone leaves only unread files behind.
            writeMetadata(metadata.withWalStartLsn(start));
        }
        return wal.truncateBelow(start);
    }

    /** Replaces the metadata (e.g. a new GC cutoff) durably. */
    public synchronized void updateMetadata(java.util.function.UnaryOperator<TimelineMetadata> change)
            throws IOException {
        writeMetadata(change.apply(metadata));
    }

    private void writeMetadata(TimelineMetadata updated) throws IOException {
        DurableFiles.writeAtomically(dir.resolve(METADATA_FILE), JSON.writeValueAsBytes(updated));
        metadata = updated;
    }

    /** Adds WAL bytes as they stream in: stores them, indexes every record they complete. */
    public final class IngestWriter {
        private final WalStreamDecoder decoder;

        private IngestWriter(Lsn start) {
            this.decoder = new WalStreamDecoder(start);
        }

        /** Where the next bytes must begin. */
        public Lsn position() {
            return decoder.position();
        }

        /**
         * Adds {@code bytes}, which begin at {@code lsn} (= {@link #position()}).
         *
         * @throws io.xenondb.shared.wal.WalDecodeException if the WAL is damaged; what came before is kept
         */
        public void write(Lsn lsn, byte[] bytes) throws IOException {
            if (!lsn.equals(decoder.position())) {
                throw new IllegalArgumentException("WAL at " + lsn + " but the timeline expects " + position());
            }
            synchronized (Timeline.this) {
                wal.append(lsn, ByteBuffer.wrap(bytes));
                decoder.feed(bytes);
                bytesIngested.addAndGet(bytes.length);
                Lsn last = null;
                while (decoder.hasRecord()) {
                    DecodedRecord record = decoder.poll();
                    index.add(record);
                    changes.add(record);
                    recordsIngested.incrementAndGet();
                    last = record.endLsn();
                }
                if (last != null) {
                    wal.markRecordEnd(last);
                    waiters.advance(last);
                }
            }
        }
    }

    /** Stops serving the timeline: waiters fail, files close. */
    @Override
    public void close() throws IOException {
        state = TimelineState.Stopping;
        waiters.failAll(new XenonException(ErrorCode.UNAVAILABLE, "timeline " + id() + " is shutting down"));
        wal.close();
    }
}
