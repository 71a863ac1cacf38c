package io.xenondb.walnode.consensus;

import com.google.protobuf.ByteString;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.message.TermHistory;
import io.xenondb.walnode.consensus.storage.ControlState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safety invariants of the consensus, checked by the simulation after every step. Violations are
 * AssertionErrors naming what broke; the simulation adds the seed and step.
 *
 * <ol>
 *   <li>Committed WAL is never lost: every byte range ever reported committed is durable, with the same
 *       attribution (hence the same bytes), on a majority of nodes; every proposer elected in a later term
 *       starts at or above it and its history agrees with it.
 *   <li>The logs of one term agree, checked in a stronger form: every byte a node holds is the byte that the
 *       term its history attributes it to wrote at that LSN (the simulation's WAL is a function of both), so
 *       two nodes attributing an LSN to the same term hold the same byte.
 *   <li>At most one proposer is elected per term.
 *   <li>The commit LSN of each proposer only goes up.
 *   <li>What a node would serve to readers as committed is committed: its commit LSN is at most the highest
 *       commit reported, and its history agrees with the committed log up to there.
 * </ol>
 */
final class InvariantChecker {
    private record Election(long proposer, Lsn start, TermHistory history) {}

    private record Commit(TermHistory history, Lsn lsn) {}

    private record Verified(TermHistory history, Lsn upTo) {}

    private final int quorum;
    private final Map<Term, Election> elections = new TreeMap<>();
    private final Map<Term, Commit> commits = new TreeMap<>();
    private final Map<Long, Lsn> lastCommit = new HashMap<>();
    private final Map<NodeId, Verified> verified = new HashMap<>();
    private Lsn committedEnd;
    private TermHistory committedHistory = TermHistory.EMPTY;

    InvariantChecker(int quorum, Lsn timelineStart) {
        this.quorum = quorum;
        this.committedEnd = timelineStart;
    }

    Lsn committedEnd() {
        return committedEnd;
    }

    TermHistory committedHistory() {
        return committedHistory;
    }

    void onElected(long proposer, Term term, Lsn start, TermHistory history) {
        Election previous = elections.putIfAbsent(term, new Election(proposer, start, history));
        check(previous == null, "two proposers elected in term %s: %s and %s", term, previous, proposer);
        for (Map.Entry<Term, Commit> commit : commits.entrySet()) {
            if (commit.getKey().isBefore(term)) {
                checkElectionKeepsCommit(term, start, history, commit.getKey(), commit.getValue());
            }
        }
    }

    void onCommit(long proposer, Term term, TermHistory history, Lsn lsn) {
        Lsn before = lastCommit.getOrDefault(proposer, Lsn.INVALID);
        check(lsn.isAfter(before), "proposer %s commit lsn went from %s to %s", proposer, before, lsn);
        lastCommit.put(proposer, lsn);
        Lsn agreed = SimWal.divergence(history, committedHistory);
        check(
                !agreed.isBefore(Lsn.min(lsn, committedEnd)),
                "term %s commits %s with history %s, contradicting the committed %s of %s",
                term,
                lsn,
                history,
                committedEnd,
                committedHistory);
        Commit commit = new Commit(history, lsn);
        commits.merge(term, commit, (a, b) -> a.lsn().isAfter(b.lsn()) ? a : b);
        if (lsn.isAfter(committedEnd)) {
            committedEnd = lsn;
            committedHistory = history;
        }
        for (Map.Entry<Term, Election> election : elections.entrySet()) {
            if (election.getKey().isAfter(term)) {
                Election e = election.getValue();
                checkElectionKeepsCommit(election.getKey(), e.start(), e.history(), term, commit);
            }
        }
    }

    void onSyncCompleted(long proposer, Lsn lsn) {
        check(
                !lsn.isAfter(committedEnd),
                "sync of proposer %s reported %s above the committed %s",
                proposer,
                lsn,
                committedEnd);
    }

    /** Invariants 1, 2 and 5 over the nodes' storage as it is now (down nodes included). */
    void checkNodes(List<SimNode> nodes) {
        int holding = 0;
        for (SimNode node : nodes) {
            ControlState state = node.control.load().orElseThrow();
            TermHistory history = state.termHistory();
            verifyContent(node, history);
            Lsn agreed = SimWal.divergence(committedHistory, history);
            if (!Lsn.min(node.wal.flushLsn(), agreed).isBefore(committedEnd)) {
                holding++;
            }
            if (node.acceptor != null) {
                Lsn commit = node.acceptor.commitLsn();
                check(
                        !commit.isAfter(committedEnd) && !commit.isAfter(agreed),
                        "node %s commit lsn %s with history %s, but committed is %s of %s",
                        node.id,
                        commit,
                        history,
                        committedEnd,
                        committedHistory);
            }
        }
        check(
                holding >= quorum,
                "committed WAL up to %s of %s is on %d nodes only",
                committedEnd,
                committedHistory,
                holding);
    }

    private void verifyContent(SimNode node, TermHistory history) {
        Verified seen = verified.get(node.id);
        Lsn write = node.wal.writeLsn();
        Lsn from = seen == null || !seen.history().equals(history) ? node.wal.startLsn() : Lsn.min(seen.upTo(), write);
        if (from.isBefore(write)) {
            ByteString data = node.wal.read(from, (int) write.minus(from));
            long wrong = SimWal.firstWrongByte(history, from, data);
            check(
                    wrong < 0,
                    "node %s holds at %s a byte that term %s (by its history %s) did not write",
                    node.id,
                    Lsn.of(wrong),
                    history.termAt(Lsn.of(Math.max(wrong, 0))),
                    history);
        }
        verified.put(node.id, new Verified(history, write));
    }

    private void checkElectionKeepsCommit(Term term, Lsn start, TermHistory history, Term committer, Commit commit) {
        check(
                !start.isBefore(commit.lsn())
                        && !SimWal.divergence(history, commit.history()).isBefore(commit.lsn()),
                "term %s elected with start %s and history %s, but term %s committed %s with history %s",
                term,
                start,
                history,
                committer,
                commit.lsn(),
                commit.history());
    }

    private static void check(boolean ok, String format, Object... args) {
        if (!ok) {
            throw new AssertionError(String.format(format, args));
        }
    }
}
