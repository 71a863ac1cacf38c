package io.xenondb.walnode.consensus;

import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.Term;
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
import io.xenondb.walnode.consensus.message.GreetRequest;
import io.xenondb.walnode.consensus.message.ProposerMessage;
import io.xenondb.walnode.consensus.message.ReadWalResult;
import io.xenondb.walnode.consensus.message.Refusal;
import io.xenondb.walnode.consensus.message.VoteRequest;
import io.xenondb.walnode.consensus.message.WalChunk;
import io.xenondb.walnode.consensus.storage.InMemoryWalStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A scripted cluster for scenario tests: WAL nodes and computes over a perfect network that the test cuts and
 * heals link by link, delivering every message at once and in order (fsync right after each append).
 */
final class TestCluster {
    final List<SimNode> nodes = new ArrayList<>();
    private final ArrayDeque<Runnable> work = new ArrayDeque<>();
    private final List<Compute> computes = new ArrayList<>();

    /** One proposer and, once elected in COMPUTE mode, its PostgreSQL's WAL. */
    final class Compute {
        final String name;
        final Proposer proposer;
        final boolean[] linked = new boolean[nodes.size()];
        Term term = Term.ZERO;
        Lsn termStart = Lsn.INVALID;
        Lsn walEnd = Lsn.INVALID;
        Lsn commit = Lsn.INVALID;
        Lsn synced;
        Stopped stopped;

        private Compute(String name, ProposerConfig config) {
            this.name = name;
            this.proposer = new Proposer(config);
        }

        /** PostgreSQL writes {@code size} more bytes of WAL. */
        void write(int size) {
            Lsn begin = walEnd;
            walEnd = begin.plus(size);
            run(this, () -> proposer.onLocalWal(begin, SimWal.bytes(term, begin, size)));
        }

        void cut(int node) {
            linked[node] = false;
            run(this, () -> proposer.onDisconnected(nodes.get(node).id));
        }

        void link(int node) {
            linked[node] = true;
            if (nodes.get(node).acceptor != null) {
                run(this, () -> proposer.onConnected(nodes.get(node).id));
            }
        }

        void tick() {
            run(this, proposer::onTick);
        }

        @Override
        public String toString() {
            return name + " term " + term + " start " + termStart + " commit " + commit;
        }
    }

    TestCluster(int size) {
        for (int i = 0; i < size; i++) {
            SimNode node = new SimNode(i, new InMemoryWalStore(Simulation.START));
            node.acceptor = Acceptor.create(
                    node.id,
                    node.wal,
                    node.control,
                    new GreetRequest(Simulation.TIMELINE, "setup", Simulation.SERVER, true, Simulation.START));
            nodes.add(node);
        }
    }

    /** Runs sync mode over the given nodes; returns the compute (its {@code synced} LSN if it finished). */
    Compute sync(String name, int... reachable) {
        return start(name, ProposerConfig.sync(Simulation.TIMELINE, ids(), name, Simulation.SERVER), reachable);
    }

    /** Sync, then a compute starting at the synced LSN, over the given nodes. */
    Compute syncAndStart(String name, int... reachable) {
        Compute sync = sync(name + "-sync", reachable);
        if (sync.synced == null) {
            throw new AssertionError("sync of " + name + " did not finish: " + sync);
        }
        return start(
                name,
                ProposerConfig.compute(Simulation.TIMELINE, ids(), name, Simulation.SERVER, sync.synced),
                reachable);
    }

    private Compute start(String name, ProposerConfig config, int... reachable) {
        Compute compute = new Compute(name, config);
        computes.add(compute);
        for (int node : reachable) {
            compute.link(node);
        }
        return compute;
    }

    /** The node crashes, losing its unflushed WAL; every compute's connection to it drops. */
    void crash(int index) {
        SimNode node = nodes.get(index);
        node.acceptor = null;
        node.wal.crash(new Random(index));
        for (Compute compute : computes) {
            if (compute.linked[index] && compute.stopped == null) {
                run(compute, () -> compute.proposer.onDisconnected(node.id));
            }
        }
    }

    /** The node comes back; computes linked to it reconnect. */
    void restart(int index) {
        SimNode node = nodes.get(index);
        node.acceptor = Acceptor.open(node.id, node.wal, node.control);
        for (Compute compute : computes) {
            if (compute.linked[index] && compute.stopped == null) {
                run(compute, () -> compute.proposer.onConnected(node.id));
            }
        }
    }

    private void run(Compute compute, Supplier<List<ProposerEffect>> event) {
        boolean outermost = work.isEmpty();
        work.add(() -> apply(compute, event.get()));
        if (outermost) {
            while (!work.isEmpty()) {
                work.poll().run();
            }
        }
    }

    private void apply(Compute compute, List<ProposerEffect> effects) {
        for (ProposerEffect effect : effects) {
            switch (effect) {
                case Send send -> deliver(compute, send.to(), send.message());
                case ReadFromNode read -> {
                    SimNode source = node(read.source());
                    if (source.acceptor == null || !compute.linked[source.index]) {
                        later(
                                compute,
                                () -> compute.proposer.onWalReadFailed(
                                        read.forNode(), read.request().startLsn(), Optional.empty()));
                    } else {
                        ReadWalResult result = source.acceptor.readWal(read.request(), 1 << 20);
                        later(compute, () -> switch (result) {
                            case WalChunk chunk -> compute.proposer.onWalRead(read.forNode(), chunk);
                            case Refusal refusal ->
                                compute.proposer.onWalReadFailed(
                                        read.forNode(), read.request().startLsn(), Optional.of(refusal));
                        });
                    }
                }
                case ReadLocal read -> {
                    int size = (int) read.endLsn().minus(read.beginLsn());
                    WalChunk chunk = new WalChunk(
                            read.beginLsn(), SimWal.bytes(compute.term, read.beginLsn(), size), Lsn.INVALID);
                    later(compute, () -> compute.proposer.onWalRead(read.forNode(), chunk));
                }
                case Elected elected -> {
                    compute.term = elected.term();
                    compute.termStart = elected.termStartLsn();
                    compute.walEnd = elected.termStartLsn();
                }
                case CommitLsnAdvanced commit -> compute.commit = commit.commitLsn();
                case SyncCompleted sync -> compute.synced = sync.startLsn();
                case Stopped stopped -> compute.stopped = stopped;
            }
        }
    }

    private void deliver(Compute compute, NodeId to, ProposerMessage message) {
        SimNode node = node(to);
        if (node.acceptor == null || !compute.linked[node.index]) {
            return;
        }
        Acceptor acceptor = node.acceptor;
        switch (message) {
            case GreetRequest greet -> {
                var response = acceptor.greet(greet);
                later(compute, () -> compute.proposer.onGreetResponse(response));
            }
            case VoteRequest vote -> {
                var response = acceptor.vote(vote);
                later(compute, () -> compute.proposer.onVoteResponse(response));
            }
            case ElectRequest elect -> {
                var response = acceptor.elect(elect);
                later(compute, () -> compute.proposer.onElectResponse(response));
            }
            case AppendRequest append -> {
                AppendResponse response = acceptor.append(append).orElseGet(acceptor::flush);
                later(compute, () -> compute.proposer.onAppendResponse(response));
            }
        }
    }

    private void later(Compute compute, Supplier<List<ProposerEffect>> event) {
        work.add(() -> {
            if (!compute.proposer.isDone() || compute.stopped == null) {
                apply(compute, event.get());
            }
        });
    }

    private SimNode node(NodeId id) {
        return nodes.get((int) id.value() - 1);
    }

    private List<NodeId> ids() {
        return nodes.stream().map(n -> n.id).toList();
    }
}
