package io.xenondb.compute.walproposer;

import com.google.protobuf.ByteString;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.Proposer;
import io.xenondb.walnode.consensus.ProposerConfig;
import io.xenondb.walnode.consensus.ProposerEffect;
import io.xenondb.walnode.consensus.ProposerEffect.CommitLsnAdvanced;
import io.xenondb.walnode.consensus.ProposerEffect.Elected;
import io.xenondb.walnode.consensus.ProposerEffect.ReadFromNode;
import io.xenondb.walnode.consensus.ProposerEffect.ReadLocal;
import io.xenondb.walnode.consensus.ProposerEffect.Send;
import io.xenondb.walnode.consensus.ProposerEffect.StopReason;
import io.xenondb.walnode.consensus.ProposerEffect.Stopped;
import io.xenondb.walnode.consensus.ProposerEffect.SyncCompleted;
import io.xenondb.walnode.consensus.message.WalChunk;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loop of one proposer: a single thread owns the sans-IO {@link Proposer}, feeds it events and
 * carries out its effects. gRPC callbacks, the replication reader and local WAL reads only enqueue events here,
 * so the proposer is never touched by two threads and no gRPC thread ever blocks.
 */
final class ProposerLoop {
    /** What the owner hears, always on the loop thread. */
    interface Listener {
        default void elected(Elected elected) {}

        default void committed(Lsn commitLsn) {}

        default void synced(Lsn startLsn) {}

        /** The proposer ended; called once, after every link was closed. */
        void exited(ProposerExit exit);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ProposerLoop.class);

    /**
     * Unacknowledged WAL per node. A WAL node acknowledges only whole records, so one record's bytes must fit:
     * an XLOG_SWITCH record runs to the segment end (up to 16 MiB of padding), and with the consensus default
     * of 4 MiB the proposer would wait for an acknowledgement the node cannot give before the record is whole.
     */
    static final long MAX_INFLIGHT_BYTES = 2 * Lsn.WAL_SEGMENT_SIZE;

    /** New local WAL kept in memory for streaming; a switch record's padding fits whole. */
    static final int LOCAL_BUFFER_BYTES = (int) (2 * Lsn.WAL_SEGMENT_SIZE);

    /** The consensus config with the limits a real WAL stream needs (see {@link #MAX_INFLIGHT_BYTES}). */
    static ProposerConfig withStreamLimits(ProposerConfig config) {
        return config.withLimits(
                config.maxAppendBytes(),
                Math.max(config.maxInflightBytes(), MAX_INFLIGHT_BYTES),
                Math.max(config.localBufferBytes(), LOCAL_BUFFER_BYTES));
    }

    private final ProposerConfig config;
    private final Proposer proposer;
    private final ProposerSettings settings;
    private final LocalWalSource localWal;
    private final ProposerMetrics metrics;
    private final Listener listener;
    private final ScheduledThreadPoolExecutor executor;
    private final ExecutorService localReads;
    private final Map<NodeId, WalNodeLink> links = new LinkedHashMap<>();
    // Loop thread only.
    private boolean exited;

    ProposerLoop(
            ProposerConfig config,
            List<WalNodeEndpoint> endpoints,
            ProposerSettings settings,
            LocalWalSource localWal,
            ProposerMetrics metrics,
            Listener listener) {
        this.config = config;
        this.proposer = new Proposer(config);
        this.settings = settings;
        this.localWal = localWal;
        this.metrics = metrics;
        this.listener = listener;
        String name = "walproposer-" + config.timeline().timelineId();
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        // Once ended, pending reconnects and ticks must not run.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.localReads = localWal == null
                ? null
                : Executors.newSingleThreadExecutor(runnable -> {
                    Thread thread = new Thread(runnable, name + "-local-read");
                    thread.setDaemon(true);
                    return thread;
                });
        for (WalNodeEndpoint endpoint : endpoints) {
            links.put(endpoint.id(), new WalNodeLink(endpoint, this, settings, metrics));
        }
    }

    /** Connects to every WAL node and starts the clock. */
    void start() {
        execute(() -> {
            links.values().forEach(WalNodeLink::connect);
            long tick = settings.tickInterval().toNanos();
            executor.scheduleWithFixedDelay(
                    () -> guarded(() -> event(null, Proposer::onTick)), tick, tick, TimeUnit.NANOSECONDS);
        });
    }

    /** New whole-record local WAL from PostgreSQL (any thread). */
    void localWal(Lsn begin, ByteString data) {
        execute(() -> {
            metrics.walLsn(begin.plus(data.size()));
            event(null, p -> p.onLocalWal(begin, data));
        });
    }

    /** Ends the proposer (any thread); a no-op once it has ended. */
    void exit(ProposerExit exit) {
        execute(() -> finish(exit));
    }

    /** Ends the proposer and waits up to {@code timeout} for its thread to finish. */
    void close(Duration timeout) {
        exit(new ProposerExit(ProposerExit.Reason.CLOSED, "closed by its owner"));
        try {
            executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isExited() {
        return executor.isShutdown();
    }

    // ---- for the links (loop thread, except execute/schedule) ----

    /** Runs {@code task} on the loop thread; dropped once the loop has ended. */
    void execute(Runnable task) {
        try {
            executor.execute(() -> guarded(task));
        } catch (RejectedExecutionException e) {
            // The proposer ended: late callbacks have nothing left to tell.
        }
    }

    ScheduledExecutorService scheduler() {
        return executor;
    }

    void schedule(Duration delay, Runnable task) {
        try {
            executor.schedule(() -> guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // Ended.
        }
    }

    /**
     * Feeds one event to the proposer and carries out the effects. An event that the proposer rejects as
     * malformed came from a misbehaving node ({@code source}): that node's session is dropped.
     */
    void event(NodeId source, Function<Proposer, List<ProposerEffect>> event) {
        if (exited) {
            return;
        }
        List<ProposerEffect> effects;
        try {
            effects = event.apply(proposer);
        } catch (XenonException e) {
            if (source == null) {
                throw e;
            }
            LOG.warn("{}: dropping node {} after an invalid answer: {}", config.timeline(), source, e.getMessage());
            links.get(source).drop("invalid answer: " + e.getMessage());
            return;
        }
        apply(effects);
    }

    private void apply(List<ProposerEffect> effects) {
        for (ProposerEffect effect : effects) {
            if (exited) {
                return;
            }
            switch (effect) {
                case Send send -> links.get(send.to()).send(send.message());
                case ReadFromNode read -> links.get(read.source()).read(read);
                case ReadLocal read -> readLocal(read);
                case Elected elected -> {
                    LOG.info(
                            "{}: elected in term {}, term start {}, donor {}",
                            config.timeline(),
                            elected.term(),
                            elected.termStartLsn(),
                            elected.donor());
                    metrics.elected(elected.term().value());
                    listener.elected(elected);
                }
                case CommitLsnAdvanced commit -> {
                    metrics.commitLsn(commit.commitLsn());
                    listener.committed(commit.commitLsn());
                }
                case SyncCompleted sync -> {
                    listener.synced(sync.startLsn());
                    finish(new ProposerExit(ProposerExit.Reason.SYNCED, "start lsn " + sync.startLsn()));
                }
                case Stopped stopped ->
                    finish(new ProposerExit(
                            stopped.reason() == StopReason.HIGHER_TERM
                                    ? ProposerExit.Reason.HIGHER_TERM
                                    : ProposerExit.Reason.START_LSN_MISMATCH,
                            stopped.detail()));
            }
        }
    }

    private void readLocal(ReadLocal read) {
        if (localWal == null) {
            failLocalRead(read);
            return;
        }
        try {
            localReads.execute(() -> {
                try {
                    ByteString data = localWal.read(read.beginLsn(), read.endLsn());
                    WalChunk chunk = new WalChunk(read.beginLsn(), data, Lsn.INVALID);
                    execute(() -> event(null, p -> p.onWalRead(read.forNode(), chunk)));
                } catch (XenonException e) {
                    LOG.debug(
                            "{}: local WAL {}..{} not readable: {}",
                            config.timeline(),
                            read.beginLsn(),
                            read.endLsn(),
                            e.getMessage());
                    execute(() -> failLocalRead(read));
                }
            });
        } catch (RejectedExecutionException e) {
            // Ended.
        }
    }

    private void failLocalRead(ReadLocal read) {
        event(null, p -> p.onWalReadFailed(read.forNode(), read.beginLsn(), Optional.empty()));
    }

    private void finish(ProposerExit exit) {
        if (exited) {
            return;
        }
        exited = true;
        if (exit.reason() == ProposerExit.Reason.SYNCED || exit.reason() == ProposerExit.Reason.CLOSED) {
            LOG.info("{}: proposer ended: {}", config.timeline(), exit);
        } else {
            LOG.warn("{}: proposer ended: {}", config.timeline(), exit);
        }
        links.values().forEach(WalNodeLink::close);
        if (localReads != null) {
            localReads.shutdownNow();
        }
        executor.shutdown();
        listener.exited(exit);
    }

    private void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("{}: proposer failed", config.timeline(), e);
            finish(new ProposerExit(ProposerExit.Reason.FAILED, e.toString()));
        }
    }
}
