package io.xenondb.bench;

import java.util.List;

/**
 * What was measured on one system.
 *
 * @param name "vanilla" or "xenon"
 * @param latency single-client commit latency
 * @param tps1 pgbench at 1 client, null if pgbench is missing
 * @param tps8 pgbench at 8 clients, null if pgbench is missing
 * @param phases resource use per phase
 * @param grpcRoundTrip a WAL node's unary gRPC round trip, null for vanilla
 * @param idle counters' growth over {@link #IDLE_SECONDS} without clients
 */
record SystemResult(
        String name,
        LatencyStats latency,
        Pgbench.Result tps1,
        Pgbench.Result tps8,
        List<Phase> phases,
        LatencyStats grpcRoundTrip,
        Counters idle) {
    static final int IDLE_SECONDS = 3;

    /**
     * Resource use of one phase.
     *
     * @param name what ran
     * @param transactions transactions committed in it
     * @param used counters' growth over it
     * @param meanCommitLagBytes the proposer's commit lag, sampled every 2 ms (0 for vanilla)
     */
    record Phase(String name, long transactions, Counters used, double meanCommitLagBytes) {}
}
