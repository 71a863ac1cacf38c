package io.xenondb.compute.walproposer;

import com.google.protobuf.ByteString;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that reads the replication stream: cuts it into whole records for the proposer, and reports the
 * commit LSN — and only that — to PostgreSQL as flushed and applied.
 *
 * <p>pgjdbc holds the connection's lock while a read blocks, so a status update from another thread would wait
 * for the next message. Status updates are therefore sent from this thread: while WAL handed on is not yet
 * committed it polls with {@code readPending()} (each empty poll waits up to 1 ms for data), so a new commit LSN
 * goes out within about a millisecond; once everything handed on is reported, nothing more can commit until new
 * WAL arrives, and it blocks in {@code read()}.
 */
final class ReplicationReader {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationReader.class);

    private final PostgresReplication postgres;
    private final PGReplicationStream stream;
    private final Lsn start;
    private final BiConsumer<Lsn, ByteString> sink;
    private final Consumer<ProposerExit> onEnd;
    private final AtomicReference<Lsn> commitLsn;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param sink receives whole-record WAL, contiguous from {@code start}
     * @param onEnd hears why reading ended, unless it was {@link #close}d
     */
    ReplicationReader(
            PostgresReplication postgres,
            PGReplicationStream stream,
            Lsn start,
            String name,
            BiConsumer<Lsn, ByteString> sink,
            Consumer<ProposerExit> onEnd) {
        this.postgres = postgres;
        this.stream = stream;
        this.start = start;
        this.sink = sink;
        this.onEnd = onEnd;
        this.commitLsn = new AtomicReference<>(start);
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** A new commit LSN to report (any thread). */
    void reportCommit(Lsn lsn) {
        commitLsn.accumulateAndGet(lsn, Lsn::max);
    }

    /** Stops reading and closes the connection; PostgreSQL sees the standby go. */
    void close() {
        closed = true;
        postgres.abort();
    }

    private void run() {
        WholeRecordFramer framer = new WholeRecordFramer(start);
        // WAL below the start is committed by definition (every committed WAL is below a term start).
        Lsn reported = Lsn.INVALID;
        try {
            while (!closed) {
                Lsn commit = commitLsn.get();
                if (commit.isAfter(reported)) {
                    LogSequenceNumber lsn = LogSequenceNumber.valueOf(commit.value());
                    stream.setFlushedLSN(lsn);
                    stream.setAppliedLSN(lsn);
                    stream.forceUpdateStatus();
                    reported = commit;
                }
                boolean allReported = !framer.forwarded().isAfter(reported);
                ByteBuffer data = allReported ? stream.read() : stream.readPending();
                if (data == null) {
                    if (stream.isClosed()) {
                        end(ProposerExit.Reason.POSTGRES_GONE, "the replication stream ended");
                        return;
                    }
                    continue;
                }
                Lsn end = Lsn.of(stream.getLastReceiveLSN().asLong());
                Lsn begin = Lsn.of(end.value() - data.remaining());
                Lsn before = framer.forwarded();
                ByteString whole = framer.accept(begin, data);
                if (!whole.isEmpty()) {
                    sink.accept(before, whole);
                }
            }
        } catch (SQLException e) {
            end(ProposerExit.Reason.POSTGRES_GONE, e.getMessage());
        } catch (XenonException e) {
            end(ProposerExit.Reason.INVALID_WAL, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("replication reader failed", e);
            end(ProposerExit.Reason.FAILED, e.toString());
        }
    }

    private void end(ProposerExit.Reason reason, String detail) {
        if (!closed) {
            closed = true;
            postgres.abort();
            onEnd.accept(new ProposerExit(reason, detail));
        }
    }
}
