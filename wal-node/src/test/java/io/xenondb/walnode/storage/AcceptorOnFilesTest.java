package io.xenondb.walnode.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.Acceptor;
import io.xenondb.walnode.consensus.message.AppendRequest;
import io.xenondb.walnode.consensus.message.AppendResponse;
import io.xenondb.walnode.consensus.message.ElectRequest;
import io.xenondb.walnode.consensus.message.GreetRequest;
import io.xenondb.walnode.consensus.message.TermHistory;
import io.xenondb.walnode.consensus.message.TermStart;
import io.xenondb.walnode.consensus.message.VoteRequest;
import io.xenondb.walnode.consensus.storage.ControlState;
import io.xenondb.walnode.storage.SyntheticWal.Chunk;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The consensus acceptor on the real stores: what it persisted and flushed is what it finds after a restart. */
class AcceptorOnFilesTest {
    static final NodeId NODE = NodeId.of(5);
    static final Lsn START = Lsn.parse("0/1000000");

    @TempDir
    Path dir;

    FileWalStore wal;
    FileControlStore control;

    Acceptor restart() {
        if (wal != null) {
            wal.close();
            control.close();
        }
        control = FileControlStore.open(dir);
        ControlState state = control.load().orElseThrow();
        wal = FileWalStore.open(dir, state.timelineStartLsn(), state.commitLsn());
        return Acceptor.open(NODE, wal, control);
    }

    @Test
    void votesHistoryWalAndCommitSurviveARestart() {
        control = FileControlStore.open(dir);
        wal = FileWalStore.open(dir, START, START);
        GreetRequest greet =
                new GreetRequest(FileControlStoreTest.TTID, "test", FileControlStoreTest.SERVER, true, START);
        Acceptor acceptor = Acceptor.create(NODE, wal, control, greet);

        assertThat(acceptor.vote(new VoteRequest(greet.timeline(), Term.of(1))).voteGiven())
                .isTrue();
        TermHistory history = TermHistory.of(new TermStart(Term.of(1), START));
        assertThat(acceptor.elect(new ElectRequest(greet.timeline(), Term.of(1), START, history, START))
                        .refusal())
                .isEmpty();
        SyntheticWal source = new SyntheticWal(START);
        List<Chunk> chunks = source.appendUntil(START.plus(300_000), 20_000);
        Lsn commit = chunks.get(chunks.size() / 2).end();
        for (Chunk c : chunks) {
            assertThat(acceptor.append(new AppendRequest(
                            greet.timeline(), Term.of(1), c.begin(), c.end(), commit, Lsn.INVALID, c.bytes())))
                    .isEmpty();
        }
        AppendResponse flushed = acceptor.flush();
        assertThat(flushed.flushLsn()).isEqualTo(source.position());
        assertThat(flushed.commitLsn()).isEqualTo(commit);
        acceptor.persistControlState();

        acceptor = restart();
        assertThat(acceptor.term()).isEqualTo(Term.of(1));
        assertThat(acceptor.termHistory()).isEqualTo(history);
        assertThat(acceptor.flushLsn()).isEqualTo(source.position());
        assertThat(acceptor.commitLsn()).isEqualTo(commit);

        assertThat(acceptor.vote(new VoteRequest(greet.timeline(), Term.of(2))).voteGiven())
                .isTrue();
        acceptor = restart(); // the vote was persisted before it was answered
        assertThat(acceptor.vote(new VoteRequest(greet.timeline(), Term.of(2))).voteGiven())
                .isFalse();
        wal.close();
        control.close();
    }

    @Test
    void aRecordSplitOverAppendsIsAcknowledgedWhenCompleteAndAPartialTailIsCutByTheNextElection() {
        control = FileControlStore.open(dir);
        wal = FileWalStore.open(dir, START, START);
        GreetRequest greet =
                new GreetRequest(FileControlStoreTest.TTID, "test", FileControlStoreTest.SERVER, true, START);
        Acceptor acceptor = Acceptor.create(NODE, wal, control, greet);
        acceptor.vote(new VoteRequest(greet.timeline(), Term.of(1)));
        TermHistory one = TermHistory.of(new TermStart(Term.of(1), START));
        acceptor.elect(new ElectRequest(greet.timeline(), Term.of(1), START, one, START));
        SyntheticWal source = new SyntheticWal(START);
        Chunk small = source.append(100);
        Chunk big = source.append(300_000);
        append(acceptor, 1, small.begin(), small.bytes());
        int max = AppendRequest.MAX_WAL_BYTES;
        append(acceptor, 1, big.begin(), big.bytes().substring(0, max));
        assertThat(acceptor.flush().flushLsn()).isEqualTo(small.end());
        append(acceptor, 1, big.begin().plus(max), big.bytes().substring(max, 2 * max));
        assertThat(acceptor.flush().flushLsn()).isEqualTo(small.end());

        // A new proposer: this node reports the end of its last whole record and is truncated there.
        assertThat(acceptor.vote(new VoteRequest(greet.timeline(), Term.of(2))).flushLsn())
                .isEqualTo(small.end());
        TermHistory two = one.append(Term.of(2), small.end());
        assertThat(acceptor.elect(new ElectRequest(greet.timeline(), Term.of(2), small.end(), two, small.end()))
                        .refusal())
                .isEmpty();
        assertThat(wal.writeLsn()).isEqualTo(small.end());
        for (int at = 0; at < big.bytes().size(); at += max) {
            ByteString piece = big.bytes().substring(at, Math.min(big.bytes().size(), at + max));
            append(acceptor, 2, big.begin().plus(at), piece);
        }
        assertThat(acceptor.flush().flushLsn()).isEqualTo(big.end());
        acceptor = restart();
        assertThat(acceptor.flushLsn()).isEqualTo(big.end());
        assertThat(acceptor.termHistory()).isEqualTo(two);
        wal.close();
        control.close();
    }

    static void append(Acceptor acceptor, long term, Lsn begin, ByteString data) {
        assertThat(acceptor.append(new AppendRequest(
                        FileControlStoreTest.TTID,
                        Term.of(term),
                        begin,
                        begin.plus(data.size()),
                        Lsn.INVALID,
                        Lsn.INVALID,
                        data)))
                .isEmpty();
    }
}
