package io.xenondb.walnode.consensus;

/**
 * Deliberate protocol bugs, switched on only by tests to prove that the simulation's checker catches them.
 * Production code always runs with {@link #NONE}.
 *
 * @param grantEqualTermVotes an acceptor also grants a vote for a term equal to its own
 * @param commitCountsVoteFlush a proposer counts the voters' flush LSNs (old-term WAL) towards its commit LSN
 */
record ProtocolFaults(boolean grantEqualTermVotes, boolean commitCountsVoteFlush) {
    static final ProtocolFaults NONE = new ProtocolFaults(false, false);
}
