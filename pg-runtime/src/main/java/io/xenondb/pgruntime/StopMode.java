package io.xenondb.pgruntime;

/** How to shut a postmaster down; each mode is one of the signals PostgreSQL documents for its server. */
public enum StopMode {
    /** SIGTERM: no new connections, wait for existing sessions to end, then checkpoint and exit. */
    SMART("TERM"),
    /** SIGINT: roll back and disconnect sessions, checkpoint, exit. The clean way to stop. */
    FAST("INT"),
    /** SIGQUIT: exit at once without a checkpoint; the next start runs crash recovery. */
    IMMEDIATE("QUIT");

    private final String signal;

    StopMode(String signal) {
        this.signal = signal;
    }

    /** The signal name as {@code kill -s} takes it. */
    public String signal() {
        return signal;
    }
}
