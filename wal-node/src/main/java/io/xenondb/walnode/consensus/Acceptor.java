package io.xenondb.walnode.consensus;

import com.google.protobuf.ByteString;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.message.AppendRequest;
import io.xenondb.walnode.consensus.message.AppendResponse;
import io.xenondb.walnode.consensus.message.ElectRequest;
import io.xenondb.walnode.consensus.message.ElectResponse;
import io.xenondb.walnode.consensus.message.GreetRequest;
import io.xenondb.walnode.consensus.message.GreetResponse;
import io.xenondb.walnode.consensus.message.ReadWalRequest;
import io.xenondb.walnode.consensus.message.ReadWalResult;
import io.xenondb.walnode.consensus.message.Refusal;
import io.xenondb.walnode.consensus.message.RefusalReason;
import io.xenondb.walnode.consensus.message.ServerInfo;
import io.xenondb.walnode.consensus.message.TermHistory;
import io.xenondb.walnode.consensus.message.TermStart;
import io.xenondb.walnode.consensus.message.TimelineStatus;
import io.xenondb.walnode.consensus.message.VoteRequest;
import io.xenondb.walnode.consensus.message.VoteResponse;
import io.xenondb.walnode.consensus.message.WalChunk;
import io.xenondb.walnode.consensus.storage.ControlState;
import io.xenondb.walnode.consensus.storage.ControlStore;
import io.xenondb.walnode.consensus.storage.WalStore;
import java.util.Objects;
import java.util.Optional;

/**
 * The acceptor side of the consensus for one timeline on one WAL node (Neon's SafeKeeper): a state machine
 * without threads, clocks or sockets. Each method handles one request of the WAL service; the caller
 * serializes calls. A request is validated before any state changes, so a malformed or contradictory one
 * leaves the node as it was and fails with a {@link XenonException}; losing a term is never an exception
 * but a {@link Refusal} in the response.
 *
 * <p>Ordering rules that make it crash-safe: a vote is persisted before it is answered; on Elect the WAL is
 * truncated durably before the new history is persisted (so no WAL is ever attributed to a term that did not
 * write it); appends are acknowledged only by {@link #flush}, after the fsync.
 */
public final class Acceptor {
    private final NodeId nodeId;
    private final WalStore wal;
    private final ControlStore control;
    private final ProtocolFaults faults;
    private ControlState state;
    private Lsn commitLsn;
    private Lsn truncateLsn;
    // The proposer's positions from appends, applied after the next fsync: only fsynced WAL counts.
    private Lsn commitCandidate;
    private Lsn truncateCandidate;

    private Acceptor(NodeId nodeId, WalStore wal, ControlStore control, ControlState state, ProtocolFaults faults) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.wal = wal;
        this.control = control;
        this.faults = faults;
        this.state = state;
        // A checkpoint can never be ahead of durable WAL, but a store replaced by hand could be: stay safe.
        this.commitLsn = Lsn.min(state.commitLsn(), wal.flushLsn());
        this.truncateLsn = Lsn.min(state.truncateLsn(), commitLsn);
        this.commitCandidate = commitLsn;
        this.truncateCandidate = truncateLsn;
    }

    /**
     * Creates the timeline on this node as a greeting asks, with an empty WAL store starting at the timeline's
     * start LSN.
     */
    public static Acceptor create(NodeId nodeId, WalStore wal, ControlStore control, GreetRequest greet) {
        if (control.load().isPresent()) {
            throw new XenonException(
                    ErrorCode.CONFLICT, "timeline " + greet.timeline() + " already exists on node " + nodeId);
        }
        if (!greet.allowTimelineCreation()) {
            throw new XenonException(
                    ErrorCode.NOT_FOUND,
                    "timeline " + greet.timeline() + " on node " + nodeId
                            + " (expected: an existing timeline, or allow_timeline_creation)");
        }
        Lsn start = greet.timelineStartLsn();
        if (!start.isValid() || !wal.startLsn().equals(start) || !wal.writeLsn().equals(start)) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "timeline_start_lsn: " + start + " for a WAL store holding [" + wal.startLsn() + ", "
                            + wal.writeLsn() + ") (expected: a valid lsn where the empty store starts)");
        }
        ControlState initial = ControlState.initial(greet.timeline(), greet.serverInfo(), start);
        control.persist(initial);
        return new Acceptor(nodeId, wal, control, initial, ProtocolFaults.NONE);
    }

    /** Opens an existing timeline from its stores, e.g. after a restart. */
    public static Acceptor open(NodeId nodeId, WalStore wal, ControlStore control) {
        return open(nodeId, wal, control, ProtocolFaults.NONE);
    }

    static Acceptor open(NodeId nodeId, WalStore wal, ControlStore control, ProtocolFaults faults) {
        ControlState state = control.load()
                .orElseThrow(() -> new XenonException(
                        ErrorCode.NOT_FOUND, "timeline on node " + nodeId + ": no control state (expected: created)"));
        return new Acceptor(nodeId, wal, control, state, faults);
    }

    /** Checks the proposer's cluster against the timeline's and answers with this node's term. */
    public GreetResponse greet(GreetRequest request) {
        checkTimeline(request.timeline());
        ServerInfo mine = state.serverInfo();
        ServerInfo theirs = request.serverInfo();
        if (theirs.pgMajorVersion() != mine.pgMajorVersion() || theirs.walSegSize() != mine.walSegSize()) {
            throw new XenonException(
                    ErrorCode.CONFLICT,
                    "greet: pg_version " + theirs.pgVersion() + ", wal_seg_size " + theirs.walSegSize()
                            + " (expected: the timeline's pg major version " + mine.pgMajorVersion()
                            + " and segment size " + mine.walSegSize() + ")");
        }
        // System id 0 means "not known yet" on either side (a sync-mode proposer has no cluster yet).
        if (theirs.systemId() != 0 && mine.systemId() != 0 && theirs.systemId() != mine.systemId()) {
            throw new XenonException(
                    ErrorCode.CONFLICT,
                    "greet: system_id " + Long.toUnsignedString(theirs.systemId()) + " (expected: "
                            + Long.toUnsignedString(mine.systemId()) + ", this timeline's cluster)");
        }
        if (theirs.systemId() != 0 && mine.systemId() == 0) {
            persist(state.withServerInfo(new ServerInfo(mine.pgVersion(), theirs.systemId(), mine.walSegSize())));
        }
        return new GreetResponse(nodeId, state.term());
    }

    /**
     * Grants the vote only for a term above every term seen, persisting it before answering. Either way the
     * answer carries the node's fsynced WAL end and its history, so that an elected proposer can resync.
     */
    public VoteResponse vote(VoteRequest request) {
        checkTimeline(request.timeline());
        // Flush first: the position reported must be durable, and after the vote no older term may add to it.
        flushWal();
        boolean grant = request.term().isAfter(state.term())
                || (faults.grantEqualTermVotes() && request.term().equals(state.term()));
        if (grant) {
            persist(state.withTerm(request.term()));
        }
        Lsn flush = wal.flushLsn();
        return new VoteResponse(
                nodeId,
                state.term(),
                grant,
                flush,
                truncateLsn,
                state.termHistory().upTo(flush),
                state.timelineStartLsn());
    }

    /**
     * Accepts the elected proposer of the current (or a higher) term: truncates the WAL where it stops agreeing
     * with the proposer's history and adopts that history. The proposer's {@code start_streaming_at} must equal
     * the common point computed here; otherwise (a late or duplicated Elect, or a position that moved since the
     * vote) the node refuses with NOT_CONTIGUOUS and the proposer resyncs. Committed WAL is never truncated.
     */
    public ElectResponse elect(ElectRequest request) {
        checkTimeline(request.timeline());
        if (request.term().isBefore(state.term())) {
            return electRefusal(RefusalReason.STALE_TERM, "term " + request.term() + " < node term " + state.term());
        }
        Lsn flush = wal.flushLsn();
        Lsn commonPoint = TermHistory.highestCommonPoint(request.termHistory(), state.termHistory(), flush)
                .map(TermStart::startLsn)
                // No common term: the WAL held is not part of the proposer's log at all; stream from its start.
                .orElse(request.termHistory().first().orElseThrow().startLsn());
        Lsn start = request.startStreamingAt();
        if (!start.equals(commonPoint) || start.isAfter(flush)) {
            return electRefusal(
                    RefusalReason.NOT_CONTIGUOUS,
                    "start_streaming_at " + start + " but the common point with history "
                            + state.termHistory().upTo(flush) + " and flush_lsn " + flush + " is " + commonPoint);
        }
        if (start.isBefore(commitLsn) || start.isBefore(wal.startLsn())) {
            throw new XenonException(
                    ErrorCode.CONFLICT,
                    "elect in term " + request.term() + ": start_streaming_at " + start + " (expected: at or above"
                            + " the commit lsn " + commitLsn + " and the local wal start " + wal.startLsn()
                            + "; committed WAL is never truncated)");
        }
        wal.truncate(start);
        Term term = request.term().isAfter(state.term()) ? request.term() : state.term();
        persist(state.withTerm(term).withTermHistory(request.termHistory()));
        return new ElectResponse(nodeId, state.term(), wal.flushLsn(), Optional.empty());
    }

    /**
     * Writes the WAL of the elected proposer of the node's current term, if it starts exactly where the
     * node's WAL ends. Returns a refusal at once, or empty: the append is acknowledged by the next
     * {@link #flush}, which may acknowledge many (group commit).
     */
    public Optional<AppendResponse> append(AppendRequest request) {
        checkTimeline(request.timeline());
        if (request.term().isBefore(state.term())) {
            return Optional.of(
                    appendRefusal(RefusalReason.STALE_TERM, "term " + request.term() + " < node term " + state.term()));
        }
        if (request.term().isAfter(state.term())
                || !state.termHistory().lastTerm().equals(request.term())) {
            return Optional.of(
                    appendRefusal(RefusalReason.NOT_ELECTED, "no Elect accepted for term " + request.term() + " yet"));
        }
        if (!request.beginLsn().equals(wal.writeLsn())) {
            return Optional.of(appendRefusal(
                    RefusalReason.NOT_CONTIGUOUS,
                    "append at " + request.beginLsn() + " but the WAL ends at " + wal.writeLsn()));
        }
        if (!request.walData().isEmpty()) {
            wal.write(request.beginLsn(), request.walData());
        }
        commitCandidate = Lsn.max(commitCandidate, request.commitLsn());
        truncateCandidate = Lsn.max(truncateCandidate, request.truncateLsn());
        return Optional.empty();
    }

    /** The group-commit point: fsyncs what was written and acknowledges it with the node's positions. */
    public AppendResponse flush() {
        flushWal();
        return new AppendResponse(nodeId, state.term(), wal.flushLsn(), commitLsn, Optional.empty());
    }

    /**
     * The next piece of WAL for a reader, at most {@code maxBytes}: committed WAL only, or for the proposer
     * of the node's current term ({@code recovery_term}) the WAL up to the flush LSN. An empty chunk means
     * nothing is available yet at the start LSN.
     */
    public ReadWalResult readWal(ReadWalRequest request, int maxBytes) {
        checkTimeline(request.timeline());
        if (request.startLsn().isBefore(wal.startLsn())) {
            throw new XenonException(
                    ErrorCode.INVALID_LSN,
                    "read_wal start_lsn: " + request.startLsn() + " (expected: at or above the node's local WAL start "
                            + wal.startLsn() + ")");
        }
        Lsn limit = commitLsn;
        if (request.isRecovery()) {
            if (!request.recoveryTerm().equals(state.term())) {
                RefusalReason reason = state.term().isAfter(request.recoveryTerm())
                        ? RefusalReason.STALE_TERM
                        : RefusalReason.NOT_ELECTED;
                return new Refusal(
                        reason,
                        state.term(),
                        "recovery term " + request.recoveryTerm() + " != node term " + state.term());
            }
            limit = wal.flushLsn();
        }
        if (request.endLsn().isValid()) {
            limit = Lsn.min(limit, request.endLsn());
        }
        if (!request.startLsn().isBefore(limit)) {
            return new WalChunk(request.startLsn(), ByteString.EMPTY, commitLsn);
        }
        int size = (int) Math.min(Math.max(maxBytes, 0), limit.minus(request.startLsn()));
        return new WalChunk(request.startLsn(), wal.read(request.startLsn(), size), commitLsn);
    }

    public TimelineStatus status() {
        Lsn flush = wal.flushLsn();
        TermHistory history = state.termHistory().upTo(flush);
        return new TimelineStatus(
                nodeId,
                state.timeline(),
                state.term(),
                history.lastTerm(),
                history,
                flush,
                commitLsn,
                truncateLsn,
                state.timelineStartLsn(),
                wal.startLsn(),
                state.serverInfo());
    }

    /** Checkpoints the live commit and truncate LSNs (the IO layer calls this now and then, e.g. every second). */
    public void persistControlState() {
        if (!state.commitLsn().equals(commitLsn) || !state.truncateLsn().equals(truncateLsn)) {
            persist(state);
        }
    }

    public NodeId nodeId() {
        return nodeId;
    }

    public Term term() {
        return state.term();
    }

    /** The full adopted history (it may reach beyond the WAL held while the node is being recovered). */
    public TermHistory termHistory() {
        return state.termHistory();
    }

    public Lsn flushLsn() {
        return wal.flushLsn();
    }

    public Lsn commitLsn() {
        return commitLsn;
    }

    public Lsn truncateLsn() {
        return truncateLsn;
    }

    private void flushWal() {
        Lsn flush = wal.flush();
        // The proposer's commit LSN covers this node's WAL up to its own fsynced end only.
        commitLsn = Lsn.max(commitLsn, Lsn.min(commitCandidate, flush));
        truncateLsn = Lsn.max(truncateLsn, Lsn.min(truncateCandidate, commitLsn));
    }

    private void persist(ControlState next) {
        ControlState withPositions = next.withPositions(commitLsn, truncateLsn);
        control.persist(withPositions);
        state = withPositions;
    }

    private void checkTimeline(TenantTimelineId timeline) {
        if (!state.timeline().equals(timeline)) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "tenant_timeline_id: " + timeline + " (expected: " + state.timeline() + " on node " + nodeId + ")");
        }
    }

    private ElectResponse electRefusal(RefusalReason reason, String detail) {
        return new ElectResponse(
                nodeId, state.term(), wal.flushLsn(), Optional.of(new Refusal(reason, state.term(), detail)));
    }

    private AppendResponse appendRefusal(RefusalReason reason, String detail) {
        return new AppendResponse(
                nodeId,
                state.term(),
                wal.flushLsn(),
                commitLsn,
                Optional.of(new Refusal(reason, state.term(), detail)));
    }
}
