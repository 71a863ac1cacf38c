package io.xenondb.walnode.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs the consensus simulation over many seeds (3 and 5 nodes, 2-3 competing computes), checks that a seed
 * replays exactly, and proves the checker can fail by injecting protocol bugs. Replay one seed with
 * {@code ./mvnw -pl wal-node -am verify -Dtest=ConsensusSimulationTest#replay -Dsim.seed=N [-Dsim.nodes=5]
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("wal-service")
class ConsensusSimulationTest {
    private static final int SEEDS_3_NODES = 500;
    private static final int SEEDS_5_NODES = 200;

    @Test
    void invariantsHoldForManySeedsWithThreeNodes() {
        Map<String, Integer> seen = runSeeds(3, SEEDS_3_NODES);
        // The seeds must keep reaching the dangerous paths, or passing would prove little.
        assertThat(seen)
                .as("events over %d seeds", SEEDS_3_NODES)
                .containsKeys(
                        "elect truncated WAL",
                        "elect refused NOT_CONTIGUOUS",
                        "elect refused STALE_TERM",
                        "append refused NOT_CONTIGUOUS",
                        "append refused STALE_TERM",
                        "crash kept torn tail",
                        "crash lost tail",
                        "zombie request handled",
                        "local read failed",
                        "stopped START_LSN_MISMATCH",
                        "effect ReadFromNode",
                        "effect SyncCompleted");
        assertThat(seen.get("elect truncated WAL")).isGreaterThan(SEEDS_3_NODES);
    }

    @Test
    void invariantsHoldForManySeedsWithFiveNodes() {
        assertThat(runSeeds(5, SEEDS_5_NODES)).containsKeys("elect truncated WAL", "crash kept torn tail");
    }

    private static Map<String, Integer> runSeeds(int nodes, int seeds) {
        Map<String, Integer> seen = new TreeMap<>();
        for (long seed = 1; seed <= seeds; seed++) {
            new Simulation(seed, Simulation.Options.of(nodes))
                    .run()
                    .counts()
                    .forEach((k, v) -> seen.merge(k, v, Integer::sum));
        }
        return seen;
    }

    /** Reruns the seed given by {@code -Dsim.seed} (and {@code -Dsim.nodes}, default 3); seed 1 without it. */
    @Test
    void replay() {
        long seed = Long.getLong("sim.seed", 1L);
        int nodes = Integer.getInteger("sim.nodes", 3);
        Simulation.Result result = new Simulation(seed, Simulation.Options.of(nodes)).run();
        assertThat(result.steps()).isPositive();
    }

    @Test
    void sameSeedReplaysExactly() {
        for (long seed : new long[] {7, 123_456_789L}) {
            Simulation.Result first = new Simulation(seed, Simulation.Options.of(3)).run();
            Simulation.Result second = new Simulation(seed, Simulation.Options.of(3)).run();
            assertThat(second).isEqualTo(first);
        }
        Simulation.Result other = new Simulation(8, Simulation.Options.of(3)).run();
        assertThat(other.digest())
                .isNotEqualTo(new Simulation(7, Simulation.Options.of(3)).run().digest());
    }

    @Test
    void checkerCatchesAcceptorVotingTwiceInOneTerm() {
        assertSomeSeedFails(new ProtocolFaults(true, false), "two proposers elected in term");
    }

    @Test
    void checkerCatchesCommitCountingOldTermFlushes() {
        assertSomeSeedFails(new ProtocolFaults(false, true), "committed WAL up to");
    }

    private static void assertSomeSeedFails(ProtocolFaults faults, String expected) {
        for (long seed = 1; seed <= 500; seed++) {
            try {
                new Simulation(seed, Simulation.Options.of(3).withFaults(faults)).run();
            } catch (AssertionError e) {
                assertThat(e.getMessage())
                        .contains("seed " + seed)
                        .contains("-Dsim.seed=" + seed)
                        .contains(expected);
                return;
            }
        }
        throw new AssertionError("no seed of 500 caught the injected bug " + faults);
    }
}
