package io.xenondb.shared.wal.record;

import java.util.Optional;

/** A relation fork (PostgreSQL's ForkNumber), with the names pg_waldump prints. */
public enum ForkNumber {
    MAIN(0, "main"),
    FSM(1, "fsm"),
    VISIBILITY_MAP(2, "vm"),
    INIT(3, "init");

    private final int id;
    private final String pgName;

    ForkNumber(int id, String pgName) {
        this.id = id;
        this.pgName = pgName;
    }

    public int id() {
        return id;
    }

    /** PostgreSQL's name: main, fsm, vm, init. */
    public String pgName() {
        return pgName;
    }

    public static Optional<ForkNumber> ofId(int id) {
        return id >= 0 && id < values().length ? Optional.of(values()[id]) : Optional.empty();
    }
}
