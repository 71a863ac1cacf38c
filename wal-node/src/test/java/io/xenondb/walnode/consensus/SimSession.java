package io.xenondb.walnode.consensus;

/**
 * One connection between a proposer and a node: messages in each direction arrive in order; when it closes,
 * answers on their way are lost, and requests on their way may still reach the node (zombies).
 */
final class SimSession {
    final long id;
    final SimCompute compute;
    final long proposer;
    final SimNode node;
    final int nodeIncarnation;
    boolean open = true;
    long lastToNode;
    long lastToProposer;

    SimSession(long id, SimCompute compute, long proposer, SimNode node) {
        this.id = id;
        this.compute = compute;
        this.proposer = proposer;
        this.node = node;
        this.nodeIncarnation = node.incarnation;
    }
}
