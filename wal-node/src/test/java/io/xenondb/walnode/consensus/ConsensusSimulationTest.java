package io.xenondb.walnode.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Runs the consensus simulation over many seeds (3 and 5 nodes, 2-3 competing computes), checks that a seed
 * replays exactly, and proves the checker can fail by injecting protocol bugs. Replay one seed with
 * {@code ./mvnw -pl wal-node -am verify -Dtest=ConsensusSimulationTest#replay -Dsim.seed=N [-Dsim.nodes=5]
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ConsensusSimulationTest {
    private static final int SEEDS_3_NODES = 500;
    private static final int SEEDS_5_NODES = 100;

    @Test
    void invariantsHoldForManySeedsWithThreeNodes() {
        for (long seed = 1; seed <= SEEDS_3_NODES; seed++) {
            new Simulation(seed, Simulation.Options.of(3)).run();
        }
    }

    @Test
    void invariantsHoldForManySeedsWithFiveNodes() {
        for (long seed = 1; seed <= SEEDS_5_NODES; seed++) {
            new Simulation(seed, Simulation.Options.of(5)).run();
        }
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
        assertSomeSeedFails(new ProtocolFaults(false, true), "");
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
