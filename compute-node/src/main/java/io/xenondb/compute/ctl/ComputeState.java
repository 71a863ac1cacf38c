package io.xenondb.compute.ctl;

/**
 * The states of a compute under compute_ctl, with Neon's names (written as they are, e.g. {@code "Running"}).
 * {@code Empty → Init → Running}; {@code Failed} when a start fails or a running compute breaks;
 * {@code TerminationPending → Terminated} on {@code /terminate}, SIGTERM or suspend.
 */
public enum ComputeState {
    /** No spec yet: waits for {@code POST /configure}. */
    Empty,
    /** Starting: syncing the WAL nodes, fetching the base backup, starting PostgreSQL and the WAL proposer. */
    Init,
    /** PostgreSQL accepts connections. */
    Running,
    /** The start failed or the compute broke; {@code error} says why. PostgreSQL is stopped. */
    Failed,
    /** Stopping PostgreSQL. */
    TerminationPending,
    /** PostgreSQL is stopped; the process exits. */
    Terminated;

    /** Whether the compute can go nowhere from here but exit. */
    public boolean isFinal() {
        return this == TerminationPending || this == Terminated;
    }
}
