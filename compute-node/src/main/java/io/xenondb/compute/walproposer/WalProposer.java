package io.xenondb.compute.walproposer;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.ProposerConfig;
import io.xenondb.walnode.consensus.ProposerEffect.Elected;
import io.xenondb.walnode.consensus.message.ServerInfo;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.postgresql.replication.PGReplicationStream;

/**
 * The WAL proposer of a running compute: a physical replication client of its PostgreSQL that wins a term on
 * the timeline's WAL nodes, streams the WAL (whole records only) to every node, and reports to PostgreSQL as
 * flushed only the commit LSN — the WAL fsynced on a quorum — so COMMIT returns only once a quorum holds it.
 * It reconnects to WAL nodes that come back and brings them up to date.
 *
 * <p>It ends on its own when another proposer wins a higher term (fencing: nothing it sends afterwards can
 * commit), when the term does not start at the compute's start LSN, or when PostgreSQL goes away; the compute
 * must then stop. {@link #exit()} says why.
 */
public final class WalProposer implements AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final CompletableFuture<ProposerExit> exit = new CompletableFuture<>();
    private final ProposerMetrics metrics;
    private ProposerLoop loop;
    private ReplicationReader reader;
    private volatile Lsn commitLsn = Lsn.INVALID;
    private volatile Term term = Term.ZERO;
    private volatile Lsn termStartLsn = Lsn.INVALID;

    private WalProposer(ProposerMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Connects to PostgreSQL (creating the replication slot if missing), starts streaming from the config's
     * start LSN and starts the election.
     *
     * @throws XenonException {@code UNAVAILABLE} if PostgreSQL cannot be reached, {@code INVALID_ARGUMENT} if
     *     its WAL segment size is not 16 MiB
     */
    public static WalProposer start(WalProposerConfig config, ProposerMetrics metrics) {
        PostgresReplication postgres = PostgresReplication.connect(
                config.postgresUrl(), config.postgresUser(), config.settings().rpcTimeout());
        try {
            PostgresReplication.Identity identity = postgres.identify();
            if (identity.walSegmentSize() != Lsn.WAL_SEGMENT_SIZE) {
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT,
                        "wal_segment_size of " + config.postgresUrl() + ": " + identity.walSegmentSize()
                                + " (expected: " + Lsn.WAL_SEGMENT_SIZE + ")");
            }
            postgres.ensureSlot(config.slotName());
            ServerInfo server =
                    new ServerInfo(identity.serverVersionNum(), identity.systemId(), identity.walSegmentSize());
            ProposerConfig proposerConfig = ProposerConfig.compute(
                    config.timeline(),
                    config.walNodes().stream().map(WalNodeEndpoint::id).toList(),
                    config.proposerId(),
                    server,
                    config.startLsn());
            if (config.timelineStartLsn().isPresent()) {
                proposerConfig = proposerConfig.withTimelineCreation(
                        config.timelineStartLsn().get());
            }
            proposerConfig = ProposerLoop.withStreamLimits(proposerConfig);
            PGReplicationStream stream = postgres.startStreaming(
                    config.slotName(), config.startLsn(), config.settings().statusInterval());
            WalProposer proposer = new WalProposer(metrics);
            LocalWalSource localWal = config.pgWalDir()
                    .map(dir -> (LocalWalSource) new PgWalFiles(dir, identity.timeline()))
                    .orElse(null);
            proposer.loop = new ProposerLoop(
                    proposerConfig, config.walNodes(), config.settings(), localWal, metrics, proposer.listener());
            proposer.reader = new ReplicationReader(
                    postgres,
                    stream,
                    config.startLsn(),
                    "walproposer-pg-" + config.timeline().timelineId(),
                    proposer.loop::localWal,
                    proposer.loop::exit);
            proposer.loop.start();
            proposer.reader.start();
            return proposer;
        } catch (RuntimeException e) {
            postgres.abort();
            throw e;
        }
    }

    /** Completes when the proposer has ended, with the reason. */
    public CompletableFuture<ProposerExit> exit() {
        return exit;
    }

    /** The WAL below this is fsynced on a quorum and was reported to PostgreSQL as flushed. */
    public Lsn commitLsn() {
        return commitLsn;
    }

    /** The term won, or {@link Term#ZERO} before the election. */
    public Term term() {
        return term;
    }

    /** Where this proposer's term starts, or {@link Lsn#INVALID} before the election. */
    public Lsn termStartLsn() {
        return termStartLsn;
    }

    public ProposerMetrics metrics() {
        return metrics;
    }

    /** Stops streaming and disconnects from PostgreSQL and the WAL nodes. */
    @Override
    public void close() {
        loop.close(CLOSE_TIMEOUT);
        reader.close();
    }

    private ProposerLoop.Listener listener() {
        return new ProposerLoop.Listener() {
            @Override
            public void elected(Elected elected) {
                term = elected.term();
                termStartLsn = elected.termStartLsn();
            }

            @Override
            public void committed(Lsn lsn) {
                commitLsn = lsn;
                reader.reportCommit(lsn);
            }

            @Override
            public void exited(ProposerExit why) {
                reader.close();
                exit.complete(why);
            }
        };
    }
}
