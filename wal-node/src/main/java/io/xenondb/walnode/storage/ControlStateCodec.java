package io.xenondb.walnode.storage;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.message.ServerInfo;
import io.xenondb.walnode.consensus.message.TermHistory;
import io.xenondb.walnode.consensus.message.TermStart;
import io.xenondb.walnode.consensus.storage.ControlState;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of a control log record: a format version byte, then the fields of a {@link ControlState} in a
 * fixed order (big-endian), then optional tagged fields ({@code u16 tag, u32 length, bytes}) up to the end.
 * Later fields (backup LSN, remote consistent LSN, ...) are added as new tags: a reader skips tags it does not
 * know, so adding one needs no new version. A new version is for changes old readers must refuse.
 *
 * <pre>
 * u8  version (1)
 * u64 tenant id high, low; u64 timeline id high, low
 * u32 pg_version; u64 system_id; u32 wal_seg_size
 * u64 timeline_start_lsn; u64 term
 * u32 history entries; per entry: u64 term, u64 start lsn
 * u64 commit_lsn; u64 truncate_lsn
 * [u16 tag, u32 length, length bytes]*
 * </pre>
 */
final class ControlStateCodec {
    static final int VERSION = 1;

    /** A term history longer than this is not a history this node wrote: Neon's grow by one per election. */
    static final int MAX_HISTORY = 1 << 20;

    private static final int FIXED_SIZE = 1 + 4 * 8 + 4 + 8 + 4 + 8 + 8 + 4 + 8 + 8;

    private ControlStateCodec() {}

    static byte[] encode(ControlState state) {
        List<TermStart> history = state.termHistory().entries();
        if (history.size() > MAX_HISTORY) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "control state: term history of " + history.size() + " entries (expected: at most " + MAX_HISTORY
                            + ")");
        }
        ByteBuffer out = ByteBuffer.allocate(FIXED_SIZE + 16 * history.size());
        out.put((byte) VERSION);
        TenantTimelineId ttid = state.timeline();
        out.putLong(ttid.tenantId().high()).putLong(ttid.tenantId().low());
        out.putLong(ttid.timelineId().high()).putLong(ttid.timelineId().low());
        ServerInfo server = state.serverInfo();
        out.putInt(server.pgVersion()).putLong(server.systemId()).putInt(server.walSegSize());
        out.putLong(state.timelineStartLsn().value()).putLong(state.term().value());
        out.putInt(history.size());
        for (TermStart entry : history) {
            out.putLong(entry.term().value()).putLong(entry.startLsn().value());
        }
        out.putLong(state.commitLsn().value()).putLong(state.truncateLsn().value());
        return out.array();
    }

    /**
     * Decodes a payload whose checksum matched.
     *
     * @param where names the record for error messages, e.g. the file and offset
     * @throws XenonException {@code WAL_CORRUPT} if the payload is not a valid state of a version known here
     */
    static ControlState decode(byte[] payload, String where) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        try {
            int version = in.get() & 0xFF;
            if (version != VERSION) {
                throw corrupt(where, "format version " + version + " (expected: " + VERSION + ")");
            }
            TenantTimelineId ttid = new TenantTimelineId(
                    new TenantId(in.getLong(), in.getLong()), new TimelineId(in.getLong(), in.getLong()));
            ServerInfo server = new ServerInfo(in.getInt(), in.getLong(), in.getInt());
            Lsn timelineStart = Lsn.of(in.getLong());
            Term term = Term.of(in.getLong());
            int entries = in.getInt();
            if (entries < 0 || entries > in.remaining() / 16) {
                throw corrupt(
                        where,
                        "term history of " + Integer.toUnsignedString(entries) + " entries in " + in.remaining()
                                + " bytes");
            }
            List<TermStart> history = new ArrayList<>(entries);
            for (int i = 0; i < entries; i++) {
                history.add(new TermStart(Term.of(in.getLong()), Lsn.of(in.getLong())));
            }
            Lsn commit = Lsn.of(in.getLong());
            Lsn truncate = Lsn.of(in.getLong());
            skipTaggedFields(in, where);
            return new ControlState(ttid, server, timelineStart, term, new TermHistory(history), commit, truncate);
        } catch (BufferUnderflowException e) {
            throw corrupt(where, "payload of " + payload.length + " bytes ends inside a field");
        } catch (XenonException e) {
            if (e.code() == ErrorCode.WAL_CORRUPT) {
                throw e;
            }
            throw new XenonException(ErrorCode.WAL_CORRUPT, "control state in " + where + ": " + e.getMessage(), e);
        }
    }

    private static void skipTaggedFields(ByteBuffer in, String where) {
        while (in.hasRemaining()) {
            int tag = in.getShort() & 0xFFFF;
            int length = in.getInt();
            if (length < 0 || length > in.remaining()) {
                throw corrupt(
                        where,
                        "tagged field " + tag + " of " + Integer.toUnsignedString(length) + " bytes with "
                                + in.remaining() + " left");
            }
            in.position(in.position() + length); // no tags are defined yet: every one is from a later release
        }
    }

    private static XenonException corrupt(String where, String problem) {
        return new XenonException(ErrorCode.WAL_CORRUPT, "control state in " + where + ": " + problem);
    }
}
