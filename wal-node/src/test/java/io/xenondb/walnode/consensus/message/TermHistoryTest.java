package io.xenondb.walnode.consensus.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TermHistoryTest {
    private static TermHistory history(long... termAndLsn) {
        List<TermStart> entries = new ArrayList<>();
        for (int i = 0; i < termAndLsn.length; i += 2) {
            entries.add(TermStart.of(termAndLsn[i], termAndLsn[i + 1]));
        }
        return new TermHistory(entries);
    }

    private static Optional<TermStart> common(TermHistory proposer, TermHistory acceptor, long flush) {
        return TermHistory.highestCommonPoint(proposer, acceptor, Lsn.of(flush));
    }

    // The four cases of Neon's safekeeper tests (test_find_highest_common_point_*), with terms >= 1.

    @Test
    void noCommonTermMeansNoCommonPoint() {
        assertThat(common(history(1, 1), history(2, 1, 3, 2), 3)).isEmpty();
    }

    @Test
    void commonTermEndsWhereTheAcceptorSwitchedToAnotherTerm() {
        TermHistory proposer = history(1, 10, 2, 20, 4, 40);
        TermHistory acceptor = history(1, 10, 2, 20, 3, 30);
        assertThat(common(proposer, acceptor, 40)).contains(TermStart.of(2, 30));
    }

    @Test
    void commonTermEndsAtTheAcceptorFlushWhenItIsTheAcceptorsLast() {
        TermHistory proposer = history(1, 10, 2, 20, 4, 40);
        TermHistory acceptor = history(1, 10, 2, 20);
        assertThat(common(proposer, acceptor, 32)).contains(TermStart.of(2, 32));
    }

    @Test
    void proposersLastTermNeverEndsOnItsSide() {
        TermHistory same = history(1, 10, 2, 20);
        assertThat(common(same, same, 32)).contains(TermStart.of(2, 32));
    }

    @Test
    void commonTermEndsWhereTheProposerSwitchedIfTheAcceptorWentFurther() {
        TermHistory proposer = history(1, 10, 3, 50);
        TermHistory acceptor = history(1, 10);
        assertThat(common(proposer, acceptor, 70)).contains(TermStart.of(1, 50));
    }

    @Test
    void sameTermWithAnotherStartIsNotCommon() {
        TermHistory proposer = history(1, 10, 2, 20);
        TermHistory acceptor = history(1, 10, 2, 25);
        assertThat(common(proposer, acceptor, 40)).contains(TermStart.of(1, 20));
    }

    @Test
    void acceptorHistoryIsCutAtItsFlushLsn() {
        // A lagging node adopted the proposer's history but holds WAL only up to 15.
        TermHistory proposer = history(1, 10, 2, 20, 3, 30);
        assertThat(common(proposer, proposer, 15)).contains(TermStart.of(1, 15));
        assertThat(common(proposer, proposer, 20)).contains(TermStart.of(2, 20));
    }

    @Test
    void termAtAndUpToFollowTheLastEntryStartingAtOrBelow() {
        TermHistory h = history(1, 10, 2, 20, 5, 20, 7, 30);
        assertThat(h.termAt(Lsn.of(9))).isEqualTo(Term.ZERO);
        assertThat(h.termAt(Lsn.of(19))).isEqualTo(Term.of(1));
        assertThat(h.termAt(Lsn.of(20))).isEqualTo(Term.of(5)); // term 2 wrote nothing
        assertThat(h.termAt(Lsn.of(30))).isEqualTo(Term.of(7));
        assertThat(h.upTo(Lsn.of(20))).isEqualTo(history(1, 10, 2, 20, 5, 20));
        assertThat(h.upTo(Lsn.of(20)).lastTerm()).isEqualTo(Term.of(5));
        assertThat(h.upTo(Lsn.of(5))).isEqualTo(TermHistory.EMPTY);
        assertThat(TermHistory.EMPTY.lastTerm()).isEqualTo(Term.ZERO);
    }

    @Test
    void appendKeepsTheOrderRules() {
        assertThat(history(1, 10).append(Term.of(3), Lsn.of(10))).isEqualTo(history(1, 10, 3, 10));
        assertThatThrownBy(() -> history(3, 10).append(Term.of(3), Lsn.of(20)))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("strictly ascending terms");
        assertThatThrownBy(() -> history(3, 10).append(Term.of(4), Lsn.of(9)))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("non-decreasing start lsns");
    }

    @Test
    void textFormRoundTrips() {
        TermHistory h = history(1, 0x10, 3, 0x1_0000_0020L);
        assertThat(h).hasToString("[1@0/10,3@1/20]");
        assertThat(TermHistory.parse("[1@0/10,3@1/20]")).isEqualTo(h);
        assertThat(TermHistory.parse("[]")).isEqualTo(TermHistory.EMPTY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[", "1@0/10", "[1@0/10,]", "[0@0/10]", "[1@0/0]", "[2@0/10,1@0/20]", "[x@0/1]"})
    void malformedTextIsATypedError(String text) {
        assertThatThrownBy(() -> TermHistory.parse(text))
                .isInstanceOf(XenonException.class)
                .satisfies(e -> assertThat(((XenonException) e).code())
                        .isIn(ErrorCode.INVALID_ARGUMENT, ErrorCode.INVALID_ID, ErrorCode.INVALID_LSN));
    }

    /**
     * Seeded: the common point never passes the acceptor's flush LSN, both sides attribute every LSN below it
     * to the same term, and the text form round-trips.
     */
    @Test
    void commonPointIsWhereTheTwoLogsStopAgreeing() {
        for (long seed : new long[] {1, 2, 3, System.nanoTime()}) {
            Random random = new Random(seed);
            for (int i = 0; i < 2000; i++) {
                TermHistory proposer = randomHistory(random);
                TermHistory acceptor = random.nextBoolean() ? mutate(proposer, random) : randomHistory(random);
                Lsn flush =
                        Lsn.of(acceptor.last().map(e -> e.startLsn().value()).orElse(1L) + random.nextInt(30));
                Optional<TermStart> point = TermHistory.highestCommonPoint(proposer, acceptor, flush);
                String context =
                        "seed " + seed + " case " + i + ": " + proposer + " vs " + acceptor + " flush " + flush;
                assertThat(TermHistory.parse(proposer.toString())).as(context).isEqualTo(proposer);
                if (point.isEmpty()) {
                    continue;
                }
                Lsn end = point.get().startLsn();
                assertThat(end).as(context).isLessThanOrEqualTo(flush);
                List<TermStart> boundaries =
                        new ArrayList<>(acceptor.upTo(flush).entries());
                boundaries.addAll(proposer.entries());
                for (TermStart entry : boundaries) {
                    if (entry.startLsn().isBefore(end)) {
                        assertThat(proposer.termAt(entry.startLsn()))
                                .as(context)
                                .isEqualTo(acceptor.termAt(entry.startLsn()));
                    }
                }
                assertThat(proposer.termAt(Lsn.of(end.value() - 1)))
                        .as(context)
                        .isEqualTo(acceptor.termAt(Lsn.of(end.value() - 1)));
            }
        }
    }

    private static TermHistory randomHistory(Random random) {
        TermHistory h = TermHistory.EMPTY;
        long term = 0;
        long lsn = 1 + random.nextInt(5);
        for (int n = random.nextInt(5); n > 0; n--) {
            term += 1 + random.nextInt(3);
            lsn += random.nextInt(3) == 0 ? 0 : random.nextInt(20);
            h = h.append(Term.of(term), Lsn.of(lsn));
        }
        return h;
    }

    /** A history sharing a prefix with {@code base}, then going its own way. */
    private static TermHistory mutate(TermHistory base, Random random) {
        int keep = base.isEmpty() ? 0 : random.nextInt(base.size() + 1);
        TermHistory h = new TermHistory(base.entries().subList(0, keep));
        long term = h.lastTerm().value();
        long lsn = h.last().map(e -> e.startLsn().value()).orElse(1L);
        for (int n = random.nextInt(3); n > 0; n--) {
            term += 1 + random.nextInt(2);
            lsn += random.nextInt(15);
            h = h.append(Term.of(term), Lsn.of(lsn));
        }
        return h;
    }
}
