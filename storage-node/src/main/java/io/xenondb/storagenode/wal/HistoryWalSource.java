package io.xenondb.storagenode.wal;

import io.xenondb.shared.lsn.Lsn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The WAL of a branch's whole history: its own WAL from its start (the branch point) on, and below that its
 * ancestor's WAL, and so on to the root timeline. The bytes below a branch point are the same on both sides,
 * so each LSN is read from the newest timeline that holds it.
 */
public final class HistoryWalSource implements WalSource {
    /** One timeline of the history, readable below {@code limit}. */
    private record Level(WalSource wal, Lsn limit) {}

    private final List<Level> levels;

    private HistoryWalSource(List<Level> levels) {
        this.levels = levels;
    }

    /** The history of {@code own}, readable to its end. */
    public static HistoryWalSource of(WalSource own) {
        List<Level> levels = new ArrayList<>();
        levels.add(new Level(own, null));
        return new HistoryWalSource(levels);
    }

    /** This history with {@code ancestor}'s WAL below {@code branchLsn} (this history's oldest start). */
    public HistoryWalSource withAncestor(WalSource ancestor, Lsn branchLsn) {
        List<Level> longer = new ArrayList<>(levels);
        longer.add(new Level(ancestor, branchLsn));
        return new HistoryWalSource(longer);
    }

    @Override
    public Lsn start() {
        return levels.getLast().wal().start();
    }

    @Override
    public Lsn end() {
        return levels.getFirst().wal().end();
    }

    @Override
    public void read(Lsn lsn, ByteBuffer dst) throws IOException {
        Lsn last = lsn.plus(dst.remaining());
        if (lsn.isBefore(start()) || last.isAfter(end())) {
            throw new IllegalArgumentException(
                    "WAL [" + lsn + ", " + last + ") is outside this history's [" + start() + ", " + end() + ")");
        }
        long pos = lsn.value();
        while (dst.hasRemaining()) {
            Level level = levelOf(pos);
            long levelEnd =
                    level.limit() == null ? end().value() : level.limit().value();
            int len = (int) Math.min(dst.remaining(), levelEnd - pos);
            level.wal().read(Lsn.of(pos), dst.slice(dst.position(), len));
            dst.position(dst.position() + len);
            pos += len;
        }
    }

    private Level levelOf(long pos) {
        for (Level level : levels) {
            if (Long.compareUnsigned(pos, level.wal().start().value()) >= 0) {
                return level;
            }
        }
        throw new IllegalArgumentException("WAL at " + Lsn.of(pos) + " is below this history's start " + start());
    }
}
