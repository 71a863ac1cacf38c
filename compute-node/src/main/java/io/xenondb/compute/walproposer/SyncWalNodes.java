package io.xenondb.compute.walproposer;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.ProposerConfig;
import io.xenondb.walnode.consensus.message.ServerInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sync WAL nodes (Neon's sync-safekeepers): before a compute starts, win a term on the timeline's WAL nodes
 * without any PostgreSQL, bring a quorum up to the term start (truncating uncommitted tails of older terms,
 * recovering committed WAL to nodes that lack it) and return that term start: the LSN the new compute's
 * basebackup must be taken at. Every commit ever acknowledged is below it.
 */
public final class SyncWalNodes {
    /** PostgreSQL 17 as server_version_num; the WAL nodes check only the major version. */
    static final int PG_VERSION = 170_000;

    private SyncWalNodes() {}

    /** Syncs with default settings; see {@link #syncWalNodes(TenantTimelineId, List, Duration, ProposerSettings, ProposerMetrics)}. */
    public static Lsn syncWalNodes(TenantTimelineId timeline, List<WalNodeEndpoint> walNodes, Duration timeout) {
        return syncWalNodes(
                timeline, walNodes, timeout, ProposerSettings.defaults(), ProposerMetrics.unregistered(timeline));
    }

    /**
     * Runs a proposer in sync mode and returns the LSN a new compute must start from.
     *
     * @throws XenonException {@code UNAVAILABLE} if no quorum answered within {@code timeout}; {@code CONFLICT} if
     *     another proposer took over meanwhile; {@code NOT_FOUND} etc. as the nodes answer
     */
    public static Lsn syncWalNodes(
            TenantTimelineId timeline,
            List<WalNodeEndpoint> walNodes,
            Duration timeout,
            ProposerSettings settings,
            ProposerMetrics metrics) {
        ProposerConfig config = ProposerLoop.withStreamLimits(ProposerConfig.sync(
                timeline,
                walNodes.stream().map(WalNodeEndpoint::id).toList(),
                "sync-wal-nodes",
                new ServerInfo(PG_VERSION, 0, (int) Lsn.WAL_SEGMENT_SIZE)));
        CompletableFuture<Lsn> result = new CompletableFuture<>();
        ProposerLoop loop = new ProposerLoop(config, walNodes, settings, null, metrics, new ProposerLoop.Listener() {
            @Override
            public void synced(Lsn startLsn) {
                result.complete(startLsn);
            }

            @Override
            public void exited(ProposerExit exit) {
                result.completeExceptionally(new XenonException(
                        exit.reason() == ProposerExit.Reason.HIGHER_TERM ? ErrorCode.CONFLICT : ErrorCode.UNAVAILABLE,
                        "sync wal nodes of " + timeline + ": " + exit));
            }
        });
        loop.start();
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE,
                    "sync wal nodes of " + timeline + ": no quorum of " + walNodes + " synced within " + timeout);
        } catch (ExecutionException e) {
            throw (XenonException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenonException(ErrorCode.UNAVAILABLE, "sync wal nodes of " + timeline + ": interrupted");
        } finally {
            loop.close(Duration.ofSeconds(5));
        }
    }
}
