package io.xenondb.walnode.consensus;

import com.google.protobuf.ByteString;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import java.util.ArrayDeque;

/**
 * The newest local WAL of a compute, kept in memory up to a capacity for streaming to the WAL nodes; nodes
 * that fall behind the buffer are served by re-reading (the IO layer's job).
 */
final class LocalWal {
    private record Piece(Lsn begin, ByteString data) {
        Lsn end() {
            return begin.plus(data.size());
        }
    }

    private final int capacity;
    private final ArrayDeque<Piece> pieces = new ArrayDeque<>();
    private Lsn end;
    private long buffered;

    LocalWal(Lsn start, int capacity) {
        this.end = start;
        this.capacity = capacity;
    }

    /** End of the local WAL received so far. */
    Lsn end() {
        return end;
    }

    void append(Lsn begin, ByteString data) {
        if (!begin.equals(end)) {
            throw new XenonException(
                    ErrorCode.INVALID_LSN,
                    "local wal at " + begin + " (expected: " + end + ", the end of the local WAL received so far)");
        }
        if (data.isEmpty()) {
            return;
        }
        pieces.addLast(new Piece(begin, data));
        end = begin.plus(data.size());
        buffered += data.size();
        while (buffered > capacity && !pieces.isEmpty()) {
            buffered -= pieces.removeFirst().data().size();
        }
    }

    /** Buffered bytes from {@code begin} up to {@code limit}, or null if {@code begin} is not buffered. */
    ByteString read(Lsn begin, Lsn limit) {
        ByteString result = null;
        for (Piece piece : pieces) {
            if (result == null) {
                if (piece.end().isAfter(begin) && !piece.begin().isAfter(begin)) {
                    int from = (int) begin.minus(piece.begin());
                    int to = (int) Math.min(piece.data().size(), limit.minus(piece.begin()));
                    result = piece.data().substring(from, to);
                }
            } else if (piece.begin().isBefore(limit)) {
                int to = (int) Math.min(piece.data().size(), limit.minus(piece.begin()));
                result = result.concat(piece.data().substring(0, to));
            } else {
                break;
            }
        }
        return result;
    }
}
