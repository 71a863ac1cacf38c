package io.xenondb.walnode.consensus;

import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.ProposerEffect.CommitLsnAdvanced;
import io.xenondb.walnode.consensus.ProposerEffect.Elected;
import io.xenondb.walnode.consensus.ProposerEffect.ReadFromNode;
import io.xenondb.walnode.consensus.ProposerEffect.ReadLocal;
import io.xenondb.walnode.consensus.ProposerEffect.Send;
import io.xenondb.walnode.consensus.ProposerEffect.Stopped;
import io.xenondb.walnode.consensus.ProposerEffect.SyncCompleted;
import io.xenondb.walnode.consensus.message.AppendRequest;
import io.xenondb.walnode.consensus.message.AppendResponse;
import io.xenondb.walnode.consensus.message.ElectRequest;
import io.xenondb.walnode.consensus.message.ElectResponse;
import io.xenondb.walnode.consensus.message.GreetRequest;
import io.xenondb.walnode.consensus.message.GreetResponse;
import io.xenondb.walnode.consensus.message.ReadWalRequest;
import io.xenondb.walnode.consensus.message.ReadWalResult;
import io.xenondb.walnode.consensus.message.Refusal;
import io.xenondb.walnode.consensus.message.ServerInfo;
import io.xenondb.walnode.consensus.message.VoteRequest;
import io.xenondb.walnode.consensus.message.VoteResponse;
import io.xenondb.walnode.consensus.message.WalChunk;
import io.xenondb.walnode.consensus.storage.InMemoryWalStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A seeded, deterministic simulation of WAL nodes and competing computes over an in-memory network with
 * delays, connection drops, partitions, node crashes (losing unflushed, possibly torn, WAL) and compute
 * crashes. One {@link Random} drives everything and events run in (time, sequence) order, so a seed replays
 * exactly. The invariants are checked after every step; then, once the chaos stops, one compute must commit
 * new WAL and every node must get the committed WAL.
 */
final class Simulation {
    static final TenantTimelineId TIMELINE =
            TenantTimelineId.parse("de200bd42b49cc1814412c7e592dd6e9/b7c8a5a2d0e04b1c9f3e6d7a8b9c0d1e");
    static final ServerInfo SERVER = new ServerInfo(170_005, 7_400_000_000_000_000_001L, 16 * 1024 * 1024);
    static final Lsn START = Lsn.of(0x0100_0028L);

    /** What to simulate. */
    record Options(int nodes, int chaosSteps, int calmSteps, ProtocolFaults faults) {
        static Options of(int nodes) {
            return new Options(nodes, 4000, 3000, ProtocolFaults.NONE);
        }

        Options withFaults(ProtocolFaults newFaults) {
            return new Options(nodes, chaosSteps, calmSteps, newFaults);
        }
    }

    /** How a run went: steps taken and a digest of everything that happened, for replay checks. */
    record Result(int steps, long digest, Lsn committed, Map<String, Integer> counts) {}

    private record Event(long time, long seq, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event other) {
            return time != other.time ? Long.compare(time, other.time) : Long.compare(seq, other.seq);
        }
    }

    private record ReadMessage(NodeId forNode, ReadWalRequest request) {}

    private record ReadReply(NodeId forNode, Lsn begin, ReadWalResult result) {}

    private static final int MAX_DELAY = 4;
    private static final int READ_CHUNK = 48;
    private static final long WAL_BACKLOG = 320;

    private final long seed;
    private final Options options;
    private final Random random;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final List<SimNode> nodes = new ArrayList<>();
    private final List<SimCompute> computes = new ArrayList<>();
    private final boolean[][] blocked;
    private final InvariantChecker checker;
    private long now;
    private long seq;
    private int step;
    private long nextProposerId = 1;
    private long nextSessionId = 1;
    private long digest = 17;
    private final Map<String, Integer> counts = new TreeMap<>();
    private boolean calm;
    private Lsn calmCommitted;
    private Lsn livenessTarget;

    Simulation(long seed, Options options) {
        this.seed = seed;
        this.options = options;
        this.random = new Random(seed);
        int computeCount = 2 + random.nextInt(2);
        this.blocked = new boolean[computeCount][options.nodes()];
        this.checker = new InvariantChecker(options.nodes() / 2 + 1, START);
        for (int i = 0; i < options.nodes(); i++) {
            SimNode node = new SimNode(i, new InMemoryWalStore(START));
            Acceptor.create(node.id, node.wal, node.control, new GreetRequest(TIMELINE, "setup", SERVER, true, START));
            node.acceptor = Acceptor.open(node.id, node.wal, node.control, options.faults());
            nodes.add(node);
        }
        for (int i = 0; i < computeCount; i++) {
            SimCompute compute = new SimCompute(i);
            computes.add(compute);
            at(random.nextInt(20), () -> startCompute(compute));
        }
        at(1, this::chaos);
    }

    Result run() {
        while (!queue.isEmpty() && step < options.chaosSteps() + options.calmSteps()) {
            if (!calm && step >= options.chaosSteps()) {
                enterCalm();
            }
            Event event = queue.poll();
            now = event.time();
            step++;
            try {
                event.action().run();
                checker.checkNodes(nodes);
            } catch (AssertionError | RuntimeException e) {
                throw failure(e.toString(), e);
            }
            if (livenessMet()) {
                return new Result(step, digest, checker.committedEnd(), counts);
            }
        }
        throw failure("liveness: after the network healed and crashes stopped, " + describeLiveness(), null);
    }

    private AssertionError failure(String what, Throwable cause) {
        return new AssertionError(
                "simulation seed " + seed + " (" + options.nodes() + " nodes) failed at step " + step + ", time " + now
                        + ": " + what + "; replay: -Dsim.seed=" + seed + " -Dsim.nodes=" + options.nodes(),
                cause);
    }

    // ---- computes ----

    private void startCompute(SimCompute compute) {
        if (compute.proposer == null && !compute.permanentlyDown) {
            newProposer(compute, ProposerConfig.sync(TIMELINE, nodeIds(), "compute-" + compute.index, SERVER));
        }
    }

    private void newProposer(SimCompute compute, ProposerConfig config) {
        closeSessions(compute, false);
        compute.proposer = new Proposer(config.withLimits(40, 120, 96), options.faults());
        compute.proposerId = nextProposerId++;
        compute.sync = config.isSync();
        compute.term = io.xenondb.shared.id.Term.ZERO;
        compute.termStart = Lsn.INVALID;
        compute.walEnd = config.startLsn();
        compute.commit = Lsn.INVALID;
        compute.producing = false;
        long id = compute.proposerId;
        for (SimNode node : nodes) {
            scheduleConnect(compute, node, id, random.nextInt(6));
        }
        scheduleTick(compute, id);
        trace(1, compute.index, id);
    }

    private void crashCompute(SimCompute compute) {
        closeSessions(compute, false);
        compute.proposer = null;
        compute.proposerId = 0;
        compute.producing = false;
    }

    private void apply(SimCompute compute, List<ProposerEffect> effects) {
        long id = compute.proposerId;
        for (ProposerEffect effect : effects) {
            if (compute.proposerId != id) {
                return;
            }
            trace(2, effect.getClass().getSimpleName().hashCode(), id);
            count("effect " + effect.getClass().getSimpleName());
            if (Boolean.getBoolean("sim.trace")) {
                System.out.println("t=" + now + " c" + compute.index + " p" + id + " " + effect);
            }
            switch (effect) {
                case Send send -> {
                    SimSession session = compute.sessions.get(send.to());
                    if (session != null) {
                        toNode(session, send.message());
                    }
                }
                case ReadFromNode read -> {
                    SimSession session = compute.sessions.get(read.source());
                    if (session != null) {
                        toNode(session, new ReadMessage(read.forNode(), read.request()));
                    } else {
                        later(
                                compute,
                                id,
                                p -> p.onWalReadFailed(
                                        read.forNode(), read.request().startLsn(), Optional.empty()));
                    }
                }
                case ReadLocal read -> readLocal(compute, id, read);
                case Elected elected -> {
                    checker.onElected(id, elected.term(), elected.termStartLsn(), elected.termHistory());
                    compute.term = elected.term();
                    compute.termStart = elected.termStartLsn();
                    if (!compute.sync) {
                        compute.producing = true;
                        scheduleProduce(compute, id);
                    }
                }
                case CommitLsnAdvanced commit -> onCommit(compute, id, commit.commitLsn());
                case SyncCompleted sync -> {
                    checker.onSyncCompleted(id, sync.startLsn());
                    newProposer(
                            compute,
                            ProposerConfig.compute(
                                    TIMELINE, nodeIds(), "compute-" + compute.index, SERVER, sync.startLsn()));
                }
                case Stopped stopped -> {
                    count("stopped " + stopped.reason());
                    crashCompute(compute);
                    at(now + 20 + random.nextInt(60), () -> startCompute(compute));
                }
            }
        }
    }

    private void onCommit(SimCompute compute, long id, Lsn commit) {
        checker.onCommit(id, compute.proposer.term(), compute.proposer.termHistory(), commit);
        compute.commit = commit;
        if (calm
                && livenessTarget == null
                && !compute.sync
                && commit.isAfter(Lsn.max(calmCommitted, compute.termStart))) {
            livenessTarget = commit;
        }
    }

    private void readLocal(SimCompute compute, long id, ReadLocal read) {
        at(now + 1 + random.nextInt(MAX_DELAY), () -> {
            if (!compute.isLive(id)) {
                return;
            }
            // PostgreSQL may have recycled WAL below the commit LSN it was told.
            if (read.beginLsn().isBefore(compute.commit) && random.nextInt(3) == 0) {
                count("local read failed");
                apply(compute, compute.proposer.onWalReadFailed(read.forNode(), read.beginLsn(), Optional.empty()));
                return;
            }
            int size = (int) (Lsn.min(read.endLsn(), compute.walEnd).minus(read.beginLsn()));
            WalChunk chunk =
                    new WalChunk(read.beginLsn(), SimWal.bytes(compute.term, read.beginLsn(), size), Lsn.INVALID);
            apply(compute, compute.proposer.onWalRead(read.forNode(), chunk));
        });
    }

    private void scheduleProduce(SimCompute compute, long id) {
        at(now + 1 + random.nextInt(5), () -> {
            if (!compute.isLive(id)) {
                return;
            }
            // Clients wait for COMMIT, so the WAL not yet committed stays bounded.
            if (compute.walEnd.minus(Lsn.max(compute.commit, compute.termStart)) < WAL_BACKLOG) {
                int size = 1 + random.nextInt(60);
                Lsn begin = compute.walEnd;
                compute.walEnd = begin.plus(size);
                apply(compute, compute.proposer.onLocalWal(begin, SimWal.bytes(compute.term, begin, size)));
            }
            scheduleProduce(compute, id);
        });
    }

    private void scheduleTick(SimCompute compute, long id) {
        at(now + 3 + random.nextInt(6), () -> {
            if (compute.isLive(id)) {
                apply(compute, compute.proposer.onTick());
                scheduleTick(compute, id);
            }
        });
    }

    private void later(SimCompute compute, long id, Function<Proposer, List<ProposerEffect>> event) {
        at(now + 1, () -> {
            if (compute.isLive(id)) {
                apply(compute, event.apply(compute.proposer));
            }
        });
    }

    // ---- connections and messages ----

    private void scheduleConnect(SimCompute compute, SimNode node, long id, int delay) {
        at(now + delay, () -> tryConnect(compute, node, id));
    }

    private void tryConnect(SimCompute compute, SimNode node, long id) {
        if (!compute.isLive(id) || compute.sessions.containsKey(node.id)) {
            return;
        }
        if (node.acceptor == null || blocked[compute.index][node.index]) {
            scheduleConnect(compute, node, id, 2 + random.nextInt(8));
            return;
        }
        SimSession session = new SimSession(nextSessionId++, compute, id, node);
        compute.sessions.put(node.id, session);
        node.sessions.add(session);
        trace(3, session.id, node.index);
        apply(compute, compute.proposer.onConnected(node.id));
    }

    private void closeSession(SimSession session, boolean notify) {
        if (!session.open) {
            return;
        }
        session.open = false;
        session.compute.sessions.remove(session.node.id);
        session.node.sessions.remove(session);
        session.node.awaitingAck.remove(session);
        trace(4, session.id, 0);
        SimCompute compute = session.compute;
        if (compute.isLive(session.proposer)) {
            scheduleConnect(compute, session.node, session.proposer, 2 + random.nextInt(10));
            if (notify) {
                apply(compute, compute.proposer.onDisconnected(session.node.id));
            }
        }
    }

    private void closeSessions(SimCompute compute, boolean notify) {
        for (SimSession session : new ArrayList<>(compute.sessions.values())) {
            closeSession(session, notify);
        }
    }

    private void toNode(SimSession session, Object message) {
        long time = Math.max(now + 1 + random.nextInt(MAX_DELAY), session.lastToNode);
        session.lastToNode = time;
        // A request already read by the node's server may still be handled after the connection dropped.
        boolean zombie = random.nextInt(4) == 0;
        at(time, () -> deliverToNode(session, message, zombie, false));
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
                at(now + random.nextInt(25), () -> deliverToNode(session, message, true, true));
                return;
            }
        }
        Acceptor acceptor = node.acceptor;
        if (!session.open) {
            count("zombie request handled");
        }
        trace(5, node.index, message.getClass().getSimpleName().hashCode());
        switch (message) {
            case GreetRequest greet -> toProposer(session, acceptor.greet(greet));
            case VoteRequest vote -> toProposer(session, acceptor.vote(vote));
            case ElectRequest elect -> {
                Lsn before = node.wal.flushLsn();
                ElectResponse response = acceptor.elect(elect);
                response.refusal().ifPresent(r -> count("elect refused " + r.reason()));
                if (response.refusal().isEmpty() && before.isAfter(response.flushLsn())) {
                    count("elect truncated WAL");
                }
                toProposer(session, response);
            }
            case AppendRequest append ->
                acceptor.append(append)
                        .ifPresentOrElse(
                                refusal -> {
                                    count("append refused "
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

    private void awaitFlush(SimNode node, SimSession session) {
        node.awaitingAck.add(session);
        if (node.flushScheduled) {
            return;
        }
        node.flushScheduled = true;
        int incarnation = node.incarnation;
        at(now + random.nextInt(5), () -> {
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
        long time = Math.max(now + 1 + random.nextInt(MAX_DELAY), session.lastToProposer);
        session.lastToProposer = time;
        at(time, () -> deliverToProposer(session, response));
    }

    private void deliverToProposer(SimSession session, Object response) {
        SimCompute compute = session.compute;
        if (!session.open || !compute.isLive(session.proposer)) {
            return;
        }
        Proposer proposer = compute.proposer;
        trace(6, session.node.index, response.getClass().getSimpleName().hashCode());
        List<ProposerEffect> effects = switch (response) {
            case GreetResponse r -> proposer.onGreetResponse(r);
            case VoteResponse r -> proposer.onVoteResponse(r);
            case ElectResponse r -> proposer.onElectResponse(r);
            case AppendResponse r -> proposer.onAppendResponse(r);
            case ReadReply r ->
                switch (r.result()) {
                    case WalChunk chunk -> proposer.onWalRead(r.forNode(), chunk);
                    case Refusal refusal -> proposer.onWalReadFailed(r.forNode(), r.begin(), Optional.of(refusal));
                };
            default -> throw new IllegalStateException("unexpected response " + response);
        };
        apply(compute, effects);
    }

    // ---- faults ----

    private void chaos() {
        if (calm) {
            return;
        }
        int dice = random.nextInt(100);
        if (dice < 8) {
            upNode().ifPresent(this::crashNode);
        } else if (dice < 20) {
            downNode().ifPresent(this::restartNode);
        } else if (dice < 23) {
            liveCompute().ifPresent(this::crashCompute);
        } else if (dice < 28) {
            SimCompute compute = computes.get(random.nextInt(computes.size()));
            startCompute(compute);
        } else if (dice < 36) {
            partition();
        } else if (dice < 44) {
            heal();
        } else if (dice < 54) {
            List<SimSession> open = openSessions();
            if (!open.isEmpty()) {
                closeSession(open.get(random.nextInt(open.size())), true);
            }
        } else if (dice < 60) {
            upNode().ifPresent(node -> node.acceptor.persistControlState());
        }
        at(now + 3 + random.nextInt(10), this::chaos);
    }

    private void crashNode(SimNode node) {
        for (SimSession session : new ArrayList<>(node.sessions)) {
            closeSession(session, true);
        }
        Lsn flushed = node.wal.flushLsn();
        Lsn written = node.wal.writeLsn();
        node.wal.crash(random);
        count("node crash");
        if (written.isAfter(flushed)) {
            count(node.wal.flushLsn().isAfter(flushed) ? "crash kept torn tail" : "crash lost tail");
        }
        node.acceptor = null;
        node.incarnation++;
        node.flushScheduled = false;
        node.awaitingAck.clear();
        trace(7, node.index, node.wal.flushLsn().value());
    }

    private void restartNode(SimNode node) {
        node.acceptor = Acceptor.open(node.id, node.wal, node.control, options.faults());
        trace(8, node.index, 0);
    }

    private void partition() {
        count("partition");
        for (boolean[] row : blocked) {
            for (int n = 0; n < row.length; n++) {
                row[n] = random.nextInt(3) == 0;
            }
        }
        for (SimSession session : openSessions()) {
            if (blocked[session.compute.index][session.node.index]) {
                closeSession(session, true);
            }
        }
    }

    private void heal() {
        for (boolean[] row : blocked) {
            java.util.Arrays.fill(row, false);
        }
    }

    private void enterCalm() {
        calm = true;
        calmCommitted = checker.committedEnd();
        heal();
        nodes.stream().filter(n -> n.acceptor == null).forEach(this::restartNode);
        for (SimCompute compute : computes.subList(1, computes.size())) {
            compute.permanentlyDown = true;
            crashCompute(compute);
        }
        startCompute(computes.getFirst());
    }

    private boolean livenessMet() {
        if (livenessTarget == null) {
            return false;
        }
        for (SimNode node : nodes) {
            Lsn agreed = SimWal.divergence(
                    checker.committedHistory(),
                    node.control.load().orElseThrow().termHistory());
            if (Lsn.min(node.wal.flushLsn(), agreed).isBefore(livenessTarget)) {
                return false;
            }
        }
        return true;
    }

    private String describeLiveness() {
        StringBuilder text = new StringBuilder("committed before calm " + calmCommitted + ", target " + livenessTarget
                + ", committed " + checker.committedEnd() + "; nodes:");
        for (SimNode node : nodes) {
            text.append(" [")
                    .append(node.id)
                    .append(node.acceptor == null ? " down" : node.acceptor.status())
                    .append(']');
        }
        SimCompute first = computes.getFirst();
        text.append("; compute 0: ")
                .append(first.proposer == null ? "down" : first.sync ? "sync" : "compute")
                .append(" term ")
                .append(first.term)
                .append(" commit ")
                .append(first.commit);
        return text.toString();
    }

    // ---- helpers ----

    private Optional<SimNode> upNode() {
        return pick(nodes.stream().filter(n -> n.acceptor != null).toList());
    }

    private Optional<SimNode> downNode() {
        return pick(nodes.stream().filter(n -> n.acceptor == null).toList());
    }

    private Optional<SimCompute> liveCompute() {
        return pick(computes.stream().filter(c -> c.proposer != null).toList());
    }

    private <T> Optional<T> pick(List<T> candidates) {
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(random.nextInt(candidates.size())));
    }

    private List<SimSession> openSessions() {
        List<SimSession> open = new ArrayList<>();
        computes.forEach(c -> open.addAll(c.sessions.values()));
        return open;
    }

    private List<NodeId> nodeIds() {
        return nodes.stream().map(n -> n.id).toList();
    }

    private void count(String what) {
        counts.merge(what, 1, Integer::sum);
    }

    private void at(long time, Runnable action) {
        queue.add(new Event(time, seq++, action));
    }

    private void trace(long kind, long a, long b) {
        digest = digest * 1_000_003 + kind * 31 + a * 7 + b + now;
    }
}
