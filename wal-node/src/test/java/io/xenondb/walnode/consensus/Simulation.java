package io.xenondb.walnode.consensus;

import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.ProposerEffect.CommitLsnAdvanced;
import io.xenondb.walnode.consensus.ProposerEffect.Elected;
import io.xenondb.walnode.consensus.ProposerEffect.ReadFromNode;
import io.xenondb.walnode.consensus.ProposerEffect.ReadLocal;
import io.xenondb.walnode.consensus.ProposerEffect.Send;
import io.xenondb.walnode.consensus.ProposerEffect.Stopped;
import io.xenondb.walnode.consensus.ProposerEffect.SyncCompleted;
import io.xenondb.walnode.consensus.message.GreetRequest;
import io.xenondb.walnode.consensus.message.ServerInfo;
import io.xenondb.walnode.consensus.message.WalChunk;
import io.xenondb.walnode.consensus.storage.InMemoryWalStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A seeded, deterministic simulation of WAL nodes and 2-3 competing computes over an in-memory network with
 * delays, connection drops, zombie requests, partitions, node crashes (losing unflushed, possibly torn, WAL)
 * and compute crashes. Everything is driven by one {@link SimClock}, so a seed replays exactly. The
 * {@link InvariantChecker} runs after every step; once the chaos stops (the network heals, nodes restart,
 * only one compute stays), that compute must commit new WAL and every node must get the committed WAL.
 * {@code -Dsim.trace=true} prints every proposer effect.
 */
final class Simulation {
    static final TenantTimelineId TIMELINE =
            TenantTimelineId.parse("de200bd42b49cc1814412c7e592dd6e9/b7c8a5a2d0e04b1c9f3e6d7a8b9c0d1e");
    static final ServerInfo SERVER = new ServerInfo(170_005, 7_400_000_000_000_000_001L, 16 * 1024 * 1024);
    static final Lsn START = Lsn.of(0x0100_0028L);

    /** What to simulate: node count, steps of chaos, the step budget for recovery afterwards, injected bugs. */
    record Options(int nodes, int chaosSteps, int calmSteps, ProtocolFaults faults) {
        static Options of(int nodes) {
            return new Options(nodes, 4000, 3000, ProtocolFaults.NONE);
        }

        Options withFaults(ProtocolFaults newFaults) {
            return new Options(nodes, chaosSteps, calmSteps, newFaults);
        }
    }

    /** How a run went: steps taken, a digest of everything that happened (for replay checks), what occurred. */
    record Result(int steps, long digest, Lsn committed, Map<String, Integer> counts) {}

    private static final long WAL_BACKLOG = 320;

    private final long seed;
    private final Options options;
    private final SimClock clock;
    private final List<SimNode> nodes = new ArrayList<>();
    private final List<SimCompute> computes = new ArrayList<>();
    private final SimNetwork network;
    private final InvariantChecker checker;
    private int step;
    private long nextProposerId = 1;
    private boolean calm;
    private Lsn calmCommitted;
    private Lsn livenessTarget;

    Simulation(long seed, Options options) {
        this.seed = seed;
        this.options = options;
        this.clock = new SimClock(seed);
        this.checker = new InvariantChecker(options.nodes() / 2 + 1, START);
        for (int i = 0; i < options.nodes(); i++) {
            SimNode node = new SimNode(i, new InMemoryWalStore(START));
            Acceptor.create(node.id, node.wal, node.control, new GreetRequest(TIMELINE, "setup", SERVER, true, START));
            node.acceptor = Acceptor.open(node.id, node.wal, node.control, options.faults());
            nodes.add(node);
        }
        for (int i = 2 + clock.nextInt(2); i > 0; i--) {
            computes.add(new SimCompute(computes.size()));
        }
        this.network = new SimNetwork(clock, nodes, computes, options.faults(), this::apply);
        for (SimCompute compute : computes) {
            clock.after(clock.nextInt(20), () -> startCompute(compute));
        }
        clock.after(1, this::chaos);
    }

    Result run() {
        while (step < options.chaosSteps() + options.calmSteps()) {
            if (!calm && step >= options.chaosSteps()) {
                enterCalm();
            }
            step++;
            try {
                if (!clock.runNext()) {
                    break;
                }
                checker.checkNodes(nodes);
            } catch (AssertionError | RuntimeException e) {
                throw failure(e.toString(), e);
            }
            if (livenessMet()) {
                return new Result(step, clock.digest(), checker.committedEnd(), clock.counts());
            }
        }
        throw failure("liveness: after the network healed and crashes stopped, " + describeLiveness(), null);
    }

    private AssertionError failure(String what, Throwable cause) {
        return new AssertionError(
                "simulation seed " + seed + " (" + options.nodes() + " nodes) failed at step " + step + ", time "
                        + clock.now() + ": " + what + "; replay: -Dsim.seed=" + seed + " -Dsim.nodes="
                        + options.nodes(),
                cause);
    }

    // ---- computes ----

    private void startCompute(SimCompute compute) {
        if (compute.proposer == null && !compute.permanentlyDown) {
            newProposer(compute, ProposerConfig.sync(TIMELINE, nodeIds(), "compute-" + compute.index, SERVER));
        }
    }

    private void newProposer(SimCompute compute, ProposerConfig config) {
        network.closeSessions(compute);
        compute.proposer = new Proposer(config.withLimits(40, 120, 96), options.faults());
        compute.proposerId = nextProposerId++;
        compute.sync = config.isSync();
        compute.term = Term.ZERO;
        compute.termStart = Lsn.INVALID;
        compute.walEnd = config.startLsn();
        compute.commit = Lsn.INVALID;
        long id = compute.proposerId;
        for (SimNode node : nodes) {
            network.scheduleConnect(compute, node, id, clock.nextInt(6));
        }
        scheduleTick(compute, id);
        clock.trace(1, compute.index, id);
    }

    private void crashCompute(SimCompute compute) {
        network.closeSessions(compute);
        compute.proposer = null;
        compute.proposerId = 0;
    }

    /** Carries out a proposer's effects, in order, as its compute's IO layer would. */
    private void apply(SimCompute compute, List<ProposerEffect> effects) {
        long id = compute.proposerId;
        for (ProposerEffect effect : effects) {
            if (compute.proposerId != id) {
                return;
            }
            clock.trace(2, effect.getClass().getSimpleName().hashCode(), id);
            clock.count("effect " + effect.getClass().getSimpleName());
            if (Boolean.getBoolean("sim.trace")) {
                System.out.println("t=" + clock.now() + " c" + compute.index + " p" + id + " " + effect);
            }
            switch (effect) {
                case Send send -> network.send(compute, send.to(), send.message());
                case ReadFromNode read -> {
                    if (!network.read(compute, read.source(), read.forNode(), read.request())) {
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
                    clock.count("stopped " + stopped.reason());
                    crashCompute(compute);
                    clock.after(20 + clock.nextInt(60), () -> startCompute(compute));
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
        clock.after(1 + clock.nextInt(4), () -> {
            if (!compute.isLive(id)) {
                return;
            }
            // PostgreSQL may have recycled WAL below the commit LSN it was told.
            if (read.beginLsn().isBefore(compute.commit) && clock.nextInt(3) == 0) {
                clock.count("local read failed");
                apply(compute, compute.proposer.onWalReadFailed(read.forNode(), read.beginLsn(), Optional.empty()));
                return;
            }
            int size = (int) (Lsn.min(read.endLsn(), compute.walEnd).minus(read.beginLsn()));
            WalChunk chunk =
                    new WalChunk(read.beginLsn(), SimWal.bytes(compute.term, read.beginLsn(), size), Lsn.INVALID);
            apply(compute, compute.proposer.onWalRead(read.forNode(), chunk));
        });
    }

    /** The compute's PostgreSQL writes WAL; clients wait for COMMIT, so uncommitted WAL stays bounded. */
    private void scheduleProduce(SimCompute compute, long id) {
        clock.after(1 + clock.nextInt(5), () -> {
            if (!compute.isLive(id)) {
                return;
            }
            if (compute.walEnd.minus(Lsn.max(compute.commit, compute.termStart)) < WAL_BACKLOG) {
                int size = 1 + clock.nextInt(60);
                Lsn begin = compute.walEnd;
                compute.walEnd = begin.plus(size);
                apply(compute, compute.proposer.onLocalWal(begin, SimWal.bytes(compute.term, begin, size)));
            }
            scheduleProduce(compute, id);
        });
    }

    private void scheduleTick(SimCompute compute, long id) {
        clock.after(3 + clock.nextInt(6), () -> {
            if (compute.isLive(id)) {
                apply(compute, compute.proposer.onTick());
                scheduleTick(compute, id);
            }
        });
    }

    private void later(SimCompute compute, long id, Function<Proposer, List<ProposerEffect>> event) {
        clock.after(1, () -> {
            if (compute.isLive(id)) {
                apply(compute, event.apply(compute.proposer));
            }
        });
    }

    // ---- chaos, then calm ----

    private void chaos() {
        if (calm) {
            return;
        }
        int dice = clock.nextInt(100);
        if (dice < 8) {
            pick(nodes.stream().filter(n -> n.acceptor != null).toList()).ifPresent(network::crashNode);
        } else if (dice < 20) {
            pick(nodes.stream().filter(n -> n.acceptor == null).toList()).ifPresent(network::restartNode);
        } else if (dice < 23) {
            pick(computes.stream().filter(c -> c.proposer != null).toList()).ifPresent(this::crashCompute);
        } else if (dice < 28) {
            startCompute(computes.get(clock.nextInt(computes.size())));
        } else if (dice < 36) {
            network.partition();
        } else if (dice < 44) {
            network.heal();
        } else if (dice < 54) {
            network.dropRandomConnection();
        } else if (dice < 60) {
            pick(nodes.stream().filter(n -> n.acceptor != null).toList())
                    .ifPresent(node -> node.acceptor.persistControlState());
        }
        clock.after(3 + clock.nextInt(10), this::chaos);
    }

    private void enterCalm() {
        calm = true;
        calmCommitted = checker.committedEnd();
        network.heal();
        nodes.stream().filter(n -> n.acceptor == null).forEach(network::restartNode);
        for (SimCompute compute : computes.subList(1, computes.size())) {
            compute.permanentlyDown = true;
            crashCompute(compute);
        }
        startCompute(computes.getFirst());
    }

    /** New WAL was committed after the calm began, and every node holds the committed WAL up to it. */
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

    private <T> Optional<T> pick(List<T> candidates) {
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(clock.nextInt(candidates.size())));
    }

    private List<NodeId> nodeIds() {
        return nodes.stream().map(n -> n.id).toList();
    }
}
