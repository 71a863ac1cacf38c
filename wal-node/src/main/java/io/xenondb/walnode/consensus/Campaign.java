package io.xenondb.walnode.consensus;

import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.ProposerEffect.Send;
import io.xenondb.walnode.consensus.message.TermHistory;
import io.xenondb.walnode.consensus.message.VoteRequest;
import io.xenondb.walnode.consensus.message.VoteResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A proposer's campaign: the term asked for (above every term seen), the votes granted for it, and once a
 * quorum granted it, what the election decides.
 */
final class Campaign {
    /**
     * The outcome of a won election: the donor (highest last_log_term, then flush LSN), the proposer's history
     * (the donor's up to its flush LSN, then this term from there) and the highest truncate LSN of the voters.
     */
    record Outcome(Term term, NodeId donor, TermHistory history, Lsn truncateLsn, List<VoteResponse> votes) {
        Lsn termStart() {
            return history.last().orElseThrow().startLsn();
        }
    }

    private final ProposerConfig config;
    private final Map<NodeId, Peer> peers;
    private final List<ProposerEffect> out;
    // Granted votes stay counted when a node disconnects: they are persisted and the node's WAL cannot change
    // before someone is elected in this term.
    private final Map<NodeId, VoteResponse> votes = new LinkedHashMap<>();
    private Term term = Term.ZERO;
    private Term maxSeenTerm = Term.ZERO;

    Campaign(ProposerConfig config, Map<NodeId, Peer> peers, List<ProposerEffect> out) {
        this.config = config;
        this.peers = peers;
        this.out = out;
    }

    Term term() {
        return term;
    }

    Term maxSeenTerm() {
        return maxSeenTerm;
    }

    void see(Term seen) {
        maxSeenTerm = seen.isAfter(maxSeenTerm) ? seen : maxSeenTerm;
    }

    /** True if the node greeted with a term that makes our current campaign hopeless. */
    boolean isLostTo(Peer peer, Term nodeTerm) {
        // The node already has our term: unless that is our own vote from an earlier connection, it is lost.
        return nodeTerm.isAfter(term) || (nodeTerm.equals(term) && !votes.containsKey(peer.id));
    }

    /** Starts (again) with a term above every term seen, including our own, asking every greeted node. */
    void restart() {
        term = Term.of(Math.max(maxSeenTerm.value(), term.value())).next();
        votes.clear();
        for (Peer peer : peers.values()) {
            if (peer.phase == Peer.Phase.GREETED || peer.phase == Peer.Phase.VOTED) {
                askVote(peer);
            }
        }
    }

    void askVote(Peer peer) {
        peer.phase = Peer.Phase.AWAIT_VOTE;
        peer.voteAskedFor = term;
        out.add(new Send(peer.id, new VoteRequest(config.timeline(), term)));
    }

    /** Takes the answer to a vote request asked for {@code asked}; true once a quorum granted the term. */
    boolean onVote(Peer peer, Term asked, VoteResponse response) {
        if (!asked.equals(term)) {
            // The answer to an earlier campaign's request: ask again for the current term, if still possible.
            if (response.term().isBefore(term)) {
                askVote(peer);
            } else {
                restart();
            }
        } else if (response.voteGiven()) {
            votes.put(peer.id, response);
            return votes.size() >= config.quorum();
        } else if (!(response.term().equals(term) && votes.containsKey(peer.id))) {
            restart();
        }
        return false;
    }

    Outcome outcome() {
        VoteResponse best = null;
        Lsn truncateLsn = Lsn.INVALID;
        for (VoteResponse vote : votes.values()) {
            int byTerm = best == null ? 1 : vote.lastLogTerm().compareTo(best.lastLogTerm());
            if (byTerm > 0 || (byTerm == 0 && vote.flushLsn().isAfter(best.flushLsn()))) {
                best = vote;
            }
            truncateLsn = Lsn.max(truncateLsn, vote.truncateLsn());
        }
        Lsn termStart = best.flushLsn();
        TermHistory history = best.termHistory().upTo(termStart).append(term, termStart);
        return new Outcome(term, best.nodeId(), history, truncateLsn, List.copyOf(votes.values()));
    }
}
