package io.xenondb.compute.walproposer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The proposer with a real PostgreSQL 17 compute against WAL nodes served in this JVM (the consensus acceptor
 * over in-memory stores): the replication side — slot, whole-record framing, flush reports — end to end.
 */
@Tag("wal-service")
class WalProposerPostgresIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Random random = new Random();
    private final TenantTimelineId timeline = new TenantTimelineId(
            new TenantId(random.nextLong(), random.nextLong()), new TimelineId(random.nextLong(), random.nextLong()));
    private final List<TestWalNode> nodes = new ArrayList<>();
    private TestCompute compute;
    private WalProposer proposer;

    @BeforeEach
    void start() {
        for (int i = 1; i <= 3; i++) {
            nodes.add(new TestWalNode(i).start());
        }
        compute = TestCompute.start(Path.of("target", "proposer-pg-it"));
    }

    @AfterEach
    void stop() {
        if (proposer != null) {
            proposer.close();
        }
        if (compute != null) {
            compute.close();
        }
        nodes.forEach(TestWalNode::close);
    }

    @Test
    void everyNodeHoldsPgWalBytesAndEveryAcknowledgedCommit() throws Exception {
        WalProposerConfig config = compute.newTimelineProposer(timeline, endpoints());
        Lsn start = config.startLsn();
        proposer = WalProposer.start(config, new ProposerMetrics(new SimpleMeterRegistry(), timeline));

        Workload workload = new Workload(compute).start(3, 300, random.nextLong());
        Thread.sleep(1500);
        try (Connection c = compute.connect();
                Statement s = c.createStatement()) {
            // A switch record: the framer must wait for the zeros up to the segment end.
            s.execute("select pg_switch_wal()");
        }
        Thread.sleep(1500);
        workload.stop(10_000);
        assertThat((Object) workload.firstError()).isNull();
        assertThat(workload.acked()).hasSizeGreaterThan(20);

        Lsn walEnd = compute.query("select pg_current_wal_flush_lsn()");
        // Everything PostgreSQL flushed gets committed once its last record is whole.
        Eventually.await(
                WAIT,
                () -> !proposer.commitLsn().isBefore(walEnd),
                () -> "commit " + proposer.commitLsn() + " reaching " + walEnd);
        for (TestWalNode node : nodes) {
            Eventually.await(WAIT, () -> !node.flushLsn(timeline).isBefore(walEnd), () -> "node " + node.id);
            ByteString held = node.walBytes(timeline);
            Lsn flush = start.plus(held.size());
            ByteString pgWal = new PgWalFiles(compute.pgWal(), 1).read(start, flush);
            assertThat(held.equals(pgWal))
                    .as("node %s's %s bytes equal pg_wal's", node.id, held.size())
                    .isTrue();
            NodeWal wal = NodeWal.of(start, held);
            // The node's WAL ends exactly at a record boundary.
            assertThat(wal.recordsEnd()).isEqualTo(flush);
            assertThat(wal.committedXids()).containsAll(workload.acked());
        }
        assertThat(proposer.term().value()).isEqualTo(1);
        assertThat(proposer.termStartLsn()).isEqualTo(start);
        assertThat(proposer.exit()).isNotDone();
    }

    @Test
    void aCommitWaitsForTheQuorumAndCompletesWhenANodeIsBack() throws Exception {
        proposer = WalProposer.start(
                compute.newTimelineProposer(timeline, endpoints()), ProposerMetrics.unregistered(timeline));
        Workload workload = new Workload(compute);
        long first = workload.commitOne(100);
        nodes.get(0).stop();
        nodes.get(1).stop();
        Thread waiting = new Thread(() -> {
            try {
                workload.commitOne(100);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        waiting.start();
        waiting.join(1000);
        assertThat(waiting.isAlive()).as("COMMIT waits with 2 of 3 nodes down").isTrue();
        nodes.get(1).start();
        waiting.join(WAIT.toMillis());
        assertThat(waiting.isAlive()).isFalse();
        assertThat(workload.acked()).hasSize(2).contains(first);
        for (TestWalNode node : List.of(nodes.get(1), nodes.get(2))) {
            assertThat(NodeWal.of(compute.firstSegmentStart(), node.walBytes(timeline))
                            .committedXids())
                    .containsAll(workload.acked());
        }
    }

    private List<WalNodeEndpoint> endpoints() {
        return nodes.stream().map(TestWalNode::endpoint).toList();
    }
}
