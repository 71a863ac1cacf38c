package io.xenondb.walnode.consensus.storage;

import java.util.Objects;
import java.util.Optional;

/** A {@link ControlStore} in memory: persisting is atomic by construction and survives simulated crashes. */
public final class InMemoryControlStore implements ControlStore {
    private ControlState persisted;
    private long persists;

    @Override
    public Optional<ControlState> load() {
        return Optional.ofNullable(persisted);
    }

    @Override
    public void persist(ControlState state) {
        persisted = Objects.requireNonNull(state, "state");
        persists++;
    }

    /** How many times the state was persisted (tests check that a step persisted before answering). */
    public long persistCount() {
        return persists;
    }
}
