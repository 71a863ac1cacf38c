package io.xenondb.compute.ctl;

import io.xenondb.compute.start.Compute;
import io.xenondb.compute.walproposer.ProposerMetrics;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.io.FileTrees;
import io.xenondb.shared.lsn.Lsn;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one compute of a compute_ctl process and its states ({@link ComputeState}). {@link #configure} starts it
 * (in the background: {@code Empty → Init → Running}, or {@code Failed}); {@link #terminate} stops PostgreSQL
 * cleanly and ends in {@code Terminated}; when it has ended, {@link #ended()} completes with how, and the process
 * exits. Transitions happen under this object's lock; starting and stopping PostgreSQL happen outside it, so
 * {@link #status()} always answers at once.
 */
public final class ComputeNode {
    private static final Logger LOG = LoggerFactory.getLogger(ComputeNode.class);

    private final Path pgdata;
    private final Supplier<PostgresBinaries> binaries;
    private final Clock clock;
    private final Duration startTimeout;
    private final Function<TenantTimelineId, ProposerMetrics> proposerMetrics;
    private final StateFile stateFile;
    private final Instant startTime;
    private final CompletableFuture<StateFile.Ending> ended = new CompletableFuture<>();

    private ComputeState state = ComputeState.Empty;
    private ComputeSpec spec;
    private String error;
    private Compute compute;
    private ActivityTracker tracker;
    private ActivityMonitor monitor;
    private StateFile.Ending ending = StateFile.Ending.Terminated;

    /**
     * @param binaries the PostgreSQL to run (resolved on the first start: unpacking the bundled one takes a moment)
     * @param startTimeout how long each start step (WAL node sync, base backup, PostgreSQL start) may take
     */
    public ComputeNode(
            Path pgdata,
            Supplier<PostgresBinaries> binaries,
            Clock clock,
            Duration startTimeout,
            Function<TenantTimelineId, ProposerMetrics> proposerMetrics) {
        this.pgdata = pgdata.toAbsolutePath().normalize();
        this.binaries = Objects.requireNonNull(binaries, "binaries");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
        this.proposerMetrics = Objects.requireNonNull(proposerMetrics, "proposerMetrics");
        this.stateFile = new StateFile(this.pgdata);
        this.startTime = clock.instant();
    }

    public synchronized ComputeState state() {
        return state;
    }

    public synchronized ComputeStatus status() {
        Lsn lsn = compute != null
                ? compute.startLsn()
                : spec == null ? null : spec.mode().lsn();
        return new ComputeStatus(state, lastActive().orElse(null), startTime, error, spec, lsn);
    }

    public synchronized Optional<Instant> lastActive() {
        return tracker == null ? Optional.empty() : tracker.lastActive();
    }

    public StateFile stateFile() {
        return stateFile;
    }

    /** Completes with how the compute ended once it is {@code Terminated}. */
    public CompletableFuture<StateFile.Ending> ended() {
        return ended;
    }

    /**
     * Starts the compute of {@code spec} in the background.
     *
     * @throws XenonException CONFLICT unless the compute is {@code Empty}
     */
    public void configure(ComputeSpec spec) {
        Objects.requireNonNull(spec, "spec");
        synchronized (this) {
            if (state != ComputeState.Empty) {
                throw new XenonException(
                        ErrorCode.CONFLICT,
                        "configure: the compute is " + state + " (expected: Empty; a compute_ctl runs one compute)");
            }
            this.spec = spec;
            this.tracker = new ActivityTracker(clock, spec.suspendTimeout());
            transition(ComputeState.Init);
        }
        Thread.ofVirtual().name("compute-start").start(() -> start(spec));
    }

    /**
     * Stops PostgreSQL cleanly (a primary's WAL reaches the WAL nodes first) and ends the compute with
     * {@code ending}; waits up to {@code timeout} for that. Called again, it only waits.
     *
     * @return whether the compute has ended
     */
    public boolean terminate(StateFile.Ending ending, Duration timeout) {
        Compute toStop = null;
        boolean stopHere = false;
        synchronized (this) {
            if (!state.isFinal()) {
                ComputeState before = state;
                this.ending = ending;
                transition(ComputeState.TerminationPending);
                // A start under way finishes first and then stops what it started (see start).
                if (before != ComputeState.Init) {
                    toStop = compute;
                    compute = null;
                    stopHere = true;
                }
            }
        }
        if (stopHere) {
            stop(toStop);
            finish();
        }
        try {
            ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The running compute broke (PostgreSQL or the WAL proposer ended on its own): Failed, PostgreSQL stopped. */
    void broken(String why) {
        Compute toStop;
        synchronized (this) {
            if (state != ComputeState.Running) {
                return;
            }
            error = why;
            transition(ComputeState.Failed);
            toStop = compute;
            compute = null;
        }
        LOG.error("compute failed: {}", why);
        stop(toStop);
        record(StateFile.Ending.Failed, why);
    }

    private void start(ComputeSpec spec) {
        Compute started = null;
        String failure = null;
        try {
            PostgresBinaries postgres = binaries.get();
            OrphanPostmaster.stopIfRunning(postgres, pgdata);
            // A start always begins from an empty data directory: everything lives on the WAL and storage nodes.
            FileTrees.deleteRecursively(pgdata);
            started = Compute.start(
                    postgres,
                    spec.toComputeSpec(pgdata, startTimeout),
                    proposerMetrics.apply(new TenantTimelineId(spec.tenantId(), spec.timelineId())));
        } catch (IOException | RuntimeException e) {
            failure = describe(e);
            LOG.error("compute start failed: {}", failure, e);
        }
        boolean stopNow;
        synchronized (this) {
            stopNow = state == ComputeState.TerminationPending;
            if (!stopNow && started != null) {
                compute = started;
                tracker.started();
                transition(ComputeState.Running);
                monitor = ActivityMonitor.start(this, started, tracker);
            } else if (!stopNow) {
                error = failure;
                transition(ComputeState.Failed);
            }
        }
        if (stopNow) {
            stop(started);
            finish();
        } else if (started == null) {
            record(StateFile.Ending.Failed, failure);
        } else {
            Compute running = started;
            running.proposer()
                    // Not on the proposer's own thread: stopping the compute closes the proposer and waits for it.
                    .ifPresent(proposer -> proposer.exit()
                            .thenAccept(why -> Thread.ofVirtual()
                                    .name("compute-broken")
                                    .start(() -> broken("the WAL proposer ended: " + why))));
            LOG.info(
                    "compute running: {} {} at {} on port {}",
                    spec.timelineId(),
                    spec.mode(),
                    running.startLsn(),
                    spec.pgPort());
        }
    }

    private void stop(Compute toStop) {
        ActivityMonitor watching;
        synchronized (this) {
            watching = monitor;
            monitor = null;
        }
        if (watching != null) {
            watching.close();
        }
        if (toStop != null) {
            try {
                toStop.close();
            } catch (RuntimeException e) {
                LOG.warn("stopping the compute failed: {}", describe(e), e);
            }
        }
    }

    private void finish() {
        StateFile.Ending how;
        synchronized (this) {
            transition(ComputeState.Terminated);
            how = ending;
        }
        record(how, how == StateFile.Ending.Failed ? error : null);
        LOG.info("compute {}", how == StateFile.Ending.Suspended ? "suspended" : "terminated");
        ended.complete(how);
    }

    private void record(StateFile.Ending how, String why) {
        try {
            stateFile.write(how, clock.instant(), why);
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}", stateFile.path(), e.toString());
        }
    }

    private void transition(ComputeState next) {
        boolean allowed = switch (next) {
            case Empty -> false;
            case Init -> state == ComputeState.Empty;
            case Running -> state == ComputeState.Init;
            case Failed -> state == ComputeState.Init || state == ComputeState.Running;
            case TerminationPending -> !state.isFinal();
            case Terminated -> state == ComputeState.TerminationPending;
        };
        if (!allowed) {
            throw new IllegalStateException("compute state " + state + " -> " + next + " is not a transition");
        }
        LOG.info("compute state {} -> {}", state, next);
        state = next;
    }

    static String describe(Throwable e) {
        if (e instanceof XenonException || e.getMessage() != null) {
            return e.getMessage();
        }
        return e.toString();
    }
}
