package io.xenondb.walnode.consensus;

import io.xenondb.shared.id.NodeId;
import io.xenondb.walnode.consensus.storage.InMemoryControlStore;
import io.xenondb.walnode.consensus.storage.InMemoryWalStore;
import java.util.LinkedHashSet;
import java.util.Set;

/** A simulated WAL node: storage that outlives crashes, and the acceptor while the node is up. */
final class SimNode {
    final int index;
    final NodeId id;
    final InMemoryWalStore wal;
    final InMemoryControlStore control = new InMemoryControlStore();
    Acceptor acceptor;
    int incarnation;
    boolean flushScheduled;
    final Set<SimSession> sessions = new LinkedHashSet<>();
    // Connections whose appends wait for the next fsync to be acknowledged.
    final Set<SimSession> awaitingAck = new LinkedHashSet<>();

    SimNode(int index, InMemoryWalStore wal) {
        this.index = index;
        this.id = NodeId.of(index + 1L);
        this.wal = wal;
    }
}
