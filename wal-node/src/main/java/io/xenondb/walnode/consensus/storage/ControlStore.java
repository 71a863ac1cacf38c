package io.xenondb.walnode.consensus.storage;

import java.util.Optional;

/** The persisted consensus state of one timeline on one WAL node, replaced atomically and durably. */
public interface ControlStore {
    /** The last persisted state; empty if the timeline was never created here. */
    Optional<ControlState> load();

    /** Replaces the state; when this returns the new state survives any crash, and a crash never mixes the two. */
    void persist(ControlState state);
}
