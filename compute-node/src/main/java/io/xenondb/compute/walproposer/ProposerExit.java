package io.xenondb.compute.walproposer;

import java.util.Objects;

/** Why a proposer ended; once it has, nothing it streamed afterwards can become committed through it. */
public record ProposerExit(Reason reason, String detail) {
    /** The kinds of end. */
    public enum Reason {
        /** Sync mode finished: the start LSN is known. */
        SYNCED,
        /** A WAL node has a higher term: another proposer took over (fencing). */
        HIGHER_TERM,
        /** Elected, but the term starts elsewhere than the compute's basebackup: the compute must restart. */
        START_LSN_MISMATCH,
        /** The replication connection to PostgreSQL broke (PostgreSQL stopped or crashed). */
        POSTGRES_GONE,
        /** PostgreSQL sent WAL that does not decode, or not contiguously. */
        INVALID_WAL,
        /** Closed by its owner. */
        CLOSED,
        /** An unexpected failure inside the proposer. */
        FAILED
    }

    public ProposerExit {
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
    }

    @Override
    public String toString() {
        return reason + (detail.isEmpty() ? "" : ": " + detail);
    }
}
