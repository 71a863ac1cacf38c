package io.xenondb.compute.walproposer;

import com.google.protobuf.ByteString;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.ProposerConfig;
import io.xenondb.walnode.consensus.ProposerEffect.Elected;
import io.xenondb.walnode.consensus.message.ServerInfo;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * A compute-mode {@link ProposerLoop} fed with synthetic WAL instead of a PostgreSQL, for tests of the IO layer:
 * the consensus does not look inside WAL bytes, so random bytes do.
 */
final class ComputeLoop implements AutoCloseable {
    static final ProposerSettings FAST = new ProposerSettings(
            Duration.ofSeconds(2),
            Duration.ofMillis(20),
            Duration.ofMillis(200),
            Duration.ofMillis(20),
            Duration.ofSeconds(1));

    final ProposerLoop loop;
    final CompletableFuture<ProposerExit> exit = new CompletableFuture<>();
    final CompletableFuture<Elected> elected = new CompletableFuture<>();
    private final Random random;
    private volatile Lsn commit = Lsn.INVALID;
    private Lsn end;
    private ByteString written = ByteString.EMPTY;

    ComputeLoop(
            TenantTimelineId timeline,
            List<WalNodeEndpoint> nodes,
            Lsn start,
            boolean create,
            int bufferBytes,
            LocalWalSource local,
            long seed) {
        ProposerConfig config = ProposerConfig.compute(
                        timeline,
                        nodes.stream().map(WalNodeEndpoint::id).toList(),
                        "test-compute",
                        new ServerInfo(170_000, 42, 16 * 1024 * 1024),
                        start)
                .withLimits(16 * 1024, 256 * 1024, bufferBytes);
        if (create) {
            config = config.withTimelineCreation(start);
        }
        this.random = new Random(seed);
        this.end = start;
        this.loop = new ProposerLoop(
                config, nodes, FAST, local, ProposerMetrics.unregistered(timeline), new ProposerLoop.Listener() {
                    @Override
                    public void elected(Elected e) {
                        elected.complete(e);
                    }

                    @Override
                    public void committed(Lsn lsn) {
                        commit = lsn;
                    }

                    @Override
                    public void exited(ProposerExit why) {
                        exit.complete(why);
                    }
                });
        loop.start();
    }

    /** Appends {@code size} random bytes of local WAL; returns its end. */
    synchronized Lsn write(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        ByteString data = ByteString.copyFrom(bytes);
        loop.localWal(end, data);
        written = written.concat(data);
        end = end.plus(size);
        return end;
    }

    synchronized Lsn end() {
        return end;
    }

    /** Everything written so far, from the start LSN. */
    synchronized ByteString written() {
        return written;
    }

    Lsn commit() {
        return commit;
    }

    Term term() {
        return elected.getNow(null) == null ? Term.ZERO : elected.join().term();
    }

    @Override
    public void close() {
        loop.close(Duration.ofSeconds(5));
    }
}
