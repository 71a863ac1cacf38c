package io.xenondb.walnode.consensus;

import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A simulated compute: runs a SYNC proposer, then a COMPUTE proposer starting at the synced LSN whose
 * PostgreSQL writes WAL once elected. Each proposer instance has a fresh id; events of an older one are void.
 */
final class SimCompute {
    final int index;
    Proposer proposer;
    long proposerId;
    boolean sync;
    boolean permanentlyDown;
    Term term = Term.ZERO;
    Lsn termStart = Lsn.INVALID;
    Lsn walEnd = Lsn.INVALID;
    Lsn commit = Lsn.INVALID;
    final Map<NodeId, SimSession> sessions = new LinkedHashMap<>();

    SimCompute(int index) {
        this.index = index;
    }

    boolean isLive(long id) {
        return proposer != null && proposerId == id && !proposer.isDone();
    }
}
