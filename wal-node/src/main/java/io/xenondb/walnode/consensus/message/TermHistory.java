package io.xenondb.walnode.consensus.message;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The terms a timeline's WAL was written in, oldest first (Neon's term history). Terms are strictly ascending;
 * start LSNs never go down, and two entries may share a start LSN when a term was elected but wrote no WAL
 * before the next one began. The entry covering an LSN is the last one starting at or below it.
 *
 * <p>Text form: {@code [1@0/10,3@0/20]}; {@code []} is the empty history of a node without WAL.
 */
public record TermHistory(List<TermStart> entries) {
    public static final TermHistory EMPTY = new TermHistory(List.of());

    public TermHistory {
        entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
        for (int i = 1; i < entries.size(); i++) {
            TermStart prev = entries.get(i - 1);
            TermStart next = entries.get(i);
            if (!next.term().isAfter(prev.term()) || next.startLsn().isBefore(prev.startLsn())) {
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT,
                        "term history: " + prev + " followed by " + next
                                + " (expected: strictly ascending terms and non-decreasing start lsns)");
            }
        }
    }

    public static TermHistory of(TermStart... entries) {
        return new TermHistory(List.of(entries));
    }

    /** Parses the text form {@code [t@lsn,...]}. */
    public static TermHistory parse(String text) {
        if (text == null || text.length() < 2 || text.charAt(0) != '[' || text.charAt(text.length() - 1) != ']') {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "term history: " + text + " (expected: [<term>@<lsn>,...])");
        }
        String body = text.substring(1, text.length() - 1);
        if (body.isEmpty()) {
            return EMPTY;
        }
        List<TermStart> parsed = new ArrayList<>();
        for (String part : body.split(",", -1)) {
            parsed.add(TermStart.parse(part));
        }
        return new TermHistory(parsed);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    public Optional<TermStart> first() {
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.getFirst());
    }

    public Optional<TermStart> last() {
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.getLast());
    }

    /** The term of the last entry, {@link Term#ZERO} if empty. */
    public Term lastTerm() {
        return entries.isEmpty() ? Term.ZERO : entries.getLast().term();
    }

    /** The term that wrote the byte at {@code lsn}: the last entry starting at or below it; ZERO if none. */
    public Term termAt(Lsn lsn) {
        Term term = Term.ZERO;
        for (TermStart entry : entries) {
            if (entry.startLsn().isAfter(lsn)) {
                break;
            }
            term = entry.term();
        }
        return term;
    }

    /** The entries starting at or below {@code lsn}: the history of WAL that ends at {@code lsn}. */
    public TermHistory upTo(Lsn lsn) {
        int n = 0;
        while (n < entries.size() && !entries.get(n).startLsn().isAfter(lsn)) {
            n++;
        }
        return n == entries.size() ? this : new TermHistory(entries.subList(0, n));
    }

    /** This history followed by {@code term} starting at {@code startLsn}. */
    public TermHistory append(Term term, Lsn startLsn) {
        List<TermStart> longer = new ArrayList<>(entries);
        longer.add(new TermStart(term, startLsn));
        return new TermHistory(longer);
    }

    /**
     * The highest point up to which an acceptor's WAL agrees with a proposer's log (walproposer's
     * SendProposerElected, safekeeper's find_highest_common_point): the last entry both histories share, with
     * equal term and start LSN, and the end of that term as the lower of its ends on either side. On the
     * proposer's side a term ends where its next entry starts (its last term never ends); on the acceptor's,
     * where its next entry starts or, for its last term, at its flush LSN. Empty if no entry is shared.
     *
     * @param proposer the proposer's history
     * @param acceptor the acceptor's history (cut at {@code acceptorFlush} here)
     * @param acceptorFlush end of the acceptor's WAL
     */
    public static Optional<TermStart> highestCommonPoint(
            TermHistory proposer, TermHistory acceptor, Lsn acceptorFlush) {
        List<TermStart> prop = proposer.entries;
        List<TermStart> acc = acceptor.upTo(acceptorFlush).entries;
        int common = -1;
        while (common + 1 < Math.min(prop.size(), acc.size())
                && prop.get(common + 1).equals(acc.get(common + 1))) {
            common++;
        }
        if (common < 0) {
            return Optional.empty();
        }
        Lsn accEnd = common + 1 < acc.size() ? acc.get(common + 1).startLsn() : acceptorFlush;
        Lsn end = common + 1 < prop.size() ? Lsn.min(prop.get(common + 1).startLsn(), accEnd) : accEnd;
        return Optional.of(new TermStart(prop.get(common).term(), end));
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < entries.size(); i++) {
            text.append(i == 0 ? "" : ",").append(entries.get(i));
        }
        return text.append(']').toString();
    }
}
