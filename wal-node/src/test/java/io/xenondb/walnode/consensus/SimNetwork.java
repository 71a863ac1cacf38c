package io.xenondb.walnode.consensus;

import io.xenondb.shared.id.NodeId;
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
import io.xenondb.walnode.consensus.message.VoteRequest;
import io.xenondb.walnode.consensus.message.VoteResponse;
import io.xenondb.walnode.consensus.message.WalChunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The simulated WAL nodes and the network between them and the computes: connections that deliver in order
 * with random delays, drop (losing the answers on their way, while requests on their way may still be handled:
 * zombies), partitions, node crashes and restarts, and the nodes' group-commit fsyncs.
 */
final class SimNetwork {
    private record ReadMessage(NodeId forNode, ReadWalRequest request) {}

    private record ReadReply(NodeId forNode, Lsn begin, ReadWalResult result) {}

    private static final int MAX_DELAY = 4;
    private static final int READ_CHUNK = 48;

    private final SimClock clock;
    private final List<SimNode> nodes;
    private final List<SimCompute> computes;
    private final ProtocolFaults faults;
    private final BiConsumer<SimCompute, List<ProposerEffect>> effects;
    private final boolean[][] blocked;
    private long nextSessionId = 1;

    SimNetwork(
            SimClock clock,
            List<SimNode> nodes,
            List<SimCompute> computes,
            ProtocolFaults faults,
            BiConsumer<SimCompute, List<ProposerEffect>> effects) {
        this.clock = clock;
        this.nodes = nodes;
        this.computes = computes;
        this.faults = faults;
        this.effects = effects;
        this.blocked = new boolean[computes.size()][nodes.size()];
    }

    // ---- connections ----

    void scheduleConnect(SimCompute compute, SimNode node, long id, int delay) {
        clock.after(delay, () -> tryConnect(compute, node, id));
    }

    private void tryConnect(SimCompute compute, SimNode node, long id) {
        if (!compute.isLive(id) || compute.sessions.containsKey(node.id)) {
            return;
        }
        if (node.acceptor == null || blocked[compute.index][node.index]) {
            scheduleConnect(compute, node, id, 2 + clock.nextInt(8));
            return;
        }
        SimSession session = new SimSession(nextSessionId++, compute, id, node);
        compute.sessions.put(node.id, session);
        node.sessions.add(session);
        clock.trace(3, session.id, node.index);
        effects.accept(compute, compute.proposer.onConnected(node.id));
    }

    void closeSession(SimSession session, boolean notify) {
        if (!session.open) {
            return;
        }
        session.open = false;
        session.compute.sessions.remove(session.node.id);
        session.node.sessions.remove(session);
        session.node.awaitingAck.remove(session);
        clock.trace(4, session.id, 0);
        SimCompute compute = session.compute;
        if (compute.isLive(session.proposer)) {
            scheduleConnect(compute, session.node, session.proposer, 2 + clock.nextInt(10));
            if (notify) {
                effects.accept(compute, compute.proposer.onDisconnected(session.node.id));
            }
        }
    }

    void closeSessions(SimCompute compute) {
        for (SimSession session : new ArrayList<>(compute.sessions.values())) {
            closeSession(session, false);
        }
    }

    void dropRandomConnection() {
        List<SimSession> open = openSessions();
        if (!open.isEmpty()) {
            closeSession(open.get(clock.nextInt(open.size())), true);
        }
    }

    void partition() {
        clock.count("partition");
        for (boolean[] row : blocked) {
            for (int n = 0; n < row.length; n++) {
                row[n] = clock.nextInt(3) == 0;
            }
        }
        for (SimSession session : openSessions()) {
            if (blocked[session.compute.index][session.node.index]) {
                closeSession(session, true);
            }
        }
    }

    void heal() {
        for (boolean[] row : blocked) {
            Arrays.fill(row, false);
        }
    }

    // ---- nodes ----

    void crashNode(SimNode node) {
        for (SimSession session : new ArrayList<>(node.sessions)) {
            closeSession(session, true);
        }
        Lsn flushed = node.wal.flushLsn();
        Lsn written = node.wal.writeLsn();
        node.wal.crash(clock.random());
        clock.count("node crash");
        if (written.isAfter(flushed)) {
            clock.count(node.wal.flushLsn().isAfter(flushed) ? "crash kept torn tail" : "crash lost tail");
        }
        node.acceptor = null;
        node.incarnation++;
        node.flushScheduled = false;
        node.awaitingAck.clear();
        clock.trace(7, node.index, node.wal.flushLsn().value());
    }

    void restartNode(SimNode node) {
        node.acceptor = Acceptor.open(node.id, node.wal, node.control, faults);
        clock.trace(8, node.index, 0);
    }

    // ---- messages ----

    /** Sends a proposer's request to a node on the compute's connection to it, if there is one. */
    void send(SimCompute compute, NodeId to, Object message) {
        SimSession session = compute.sessions.get(to);
        if (session != null) {
            toNode(session, message);
        }
    }

    /** A recovery read from {@code source}; false if the compute has no connection to it. */
    boolean read(SimCompute compute, NodeId source, NodeId forNode, ReadWalRequest request) {
        SimSession session = compute.sessions.get(source);
        if (session != null) {
            toNode(session, new ReadMessage(forNode, request));
        }
        return session != null;
    }

    private void toNode(SimSession session, Object message) {
        long delay = 1 + clock.nextInt(MAX_DELAY);
        long time = Math.max(clock.now() + delay, session.lastToNode);
        session.lastToNode = time;
        // A request already read by the node's server may still be handled after the connection dropped.
        boolean zombie = clock.nextInt(4) == 0;
        clock.after(time - clock.now(), () -> deliverToNode(session, message, zombie, false));
    }

    private void deliverToNode(SimSession session, Object message, boolean zombie, boolean delayed) {
        SimNode node = session.node;
        if (node.acceptor == null || node.incarnation != session.nodeIncarnation) {
            return;
        }
        if (!session.open) {
            if (!zombie) {
                return;
            }
            if (!delayed) {
                clock.after(clock.nextInt(25), () -> deliverToNode(session, message, true, true));
                return;
            }
            clock.count("zombie request handled");
        }
        Acceptor acceptor = node.acceptor;
        clock.trace(5, node.index, message.getClass().getSimpleName().hashCode());
        switch (message) {
            case GreetRequest greet -> toProposer(session, acceptor.greet(greet));
            case VoteRequest vote -> toProposer(session, acceptor.vote(vote));
            case ElectRequest elect -> {
                Lsn before = node.wal.flushLsn();
                ElectResponse response = acceptor.elect(elect);
                response.refusal().ifPresent(r -> clock.count("elect refused " + r.reason()));
                if (response.refusal().isEmpty() && before.isAfter(response.flushLsn())) {
                    clock.count("elect truncated WAL");
                }
                toProposer(session, response);
            }
            case AppendRequest append ->
                acceptor.append(append)
                        .ifPresentOrElse(
                                refusal -> {
                                    clock.count("append refused "
                                            + refusal.refusal().orElseThrow().reason());
                                    toProposer(session, refusal);
                                },
                                () -> awaitFlush(node, session));
            case ReadMessage read ->
                toProposer(
                        session,
                        new ReadReply(
                                read.forNode(),
                                read.request().startLsn(),
                                acceptor.readWal(read.request(), READ_CHUNK)));
            default -> throw new IllegalStateException("unexpected message " + message);
        }
    }

    /** Appends are acknowledged by the node's next fsync, which may cover several connections' appends. */
    private void awaitFlush(SimNode node, SimSession session) {
        node.awaitingAck.add(session);
        if (node.flushScheduled) {
            return;
        }
        node.flushScheduled = true;
        int incarnation = node.incarnation;
        clock.after(clock.nextInt(5), () -> {
            if (node.acceptor == null || node.incarnation != incarnation) {
                return;
            }
            node.flushScheduled = false;
            AppendResponse response = node.acceptor.flush();
            for (SimSession waiting : new ArrayList<>(node.awaitingAck)) {
                toProposer(waiting, response);
            }
            node.awaitingAck.clear();
        });
    }

    private void toProposer(SimSession session, Object response) {
        if (!session.open) {
            return;
        }
        long time = Math.max(clock.now() + 1 + clock.nextInt(MAX_DELAY), session.lastToProposer);
        session.lastToProposer = time;
        clock.after(time - clock.now(), () -> deliverToProposer(session, response));
    }

    private void deliverToProposer(SimSession session, Object response) {
        SimCompute compute = session.compute;
        if (!session.open || !compute.isLive(session.proposer)) {
            return;
        }
        Proposer proposer = compute.proposer;
        clock.trace(6, session.node.index, response.getClass().getSimpleName().hashCode());
        effects.accept(
                compute,
                switch (response) {
                    case GreetResponse r -> proposer.onGreetResponse(r);
                    case VoteResponse r -> proposer.onVoteResponse(r);
                    case ElectResponse r -> proposer.onElectResponse(r);
                    case AppendResponse r -> proposer.onAppendResponse(r);
                    case ReadReply r ->
                        switch (r.result()) {
                            case WalChunk chunk -> proposer.onWalRead(r.forNode(), chunk);
                            case Refusal refusal ->
                                proposer.onWalReadFailed(r.forNode(), r.begin(), Optional.of(refusal));
                        };
                    default -> throw new IllegalStateException("unexpected response " + response);
                });
    }

    private List<SimSession> openSessions() {
        List<SimSession> open = new ArrayList<>();
        computes.forEach(c -> open.addAll(c.sessions.values()));
        return open;
    }
}
