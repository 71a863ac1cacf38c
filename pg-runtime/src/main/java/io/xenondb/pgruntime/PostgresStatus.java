package io.xenondb.pgruntime;

/** The state of a cluster's postmaster, as its process and {@code postmaster.pid} tell it. */
public enum PostgresStatus {
    /** No live postmaster for this data directory. */
    STOPPED,
    /** A postmaster is running but does not accept connections yet (startup, crash recovery). */
    STARTING,
    /** The postmaster accepts connections. */
    RUNNING,
    /** The postmaster is in its shutdown sequence. */
    STOPPING,
    /** A standby is up but does not accept connections ({@code hot_standby = off}). */
    STANDBY
}
