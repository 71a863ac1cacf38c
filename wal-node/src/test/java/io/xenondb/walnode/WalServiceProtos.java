package io.xenondb.walnode;

import com.google.protobuf.ByteString;
import io.xenondb.proto.wal.AppendRequest;
import io.xenondb.proto.wal.ElectRequest;
import io.xenondb.proto.wal.GreetRequest;
import io.xenondb.proto.wal.ReadWalRequest;
import io.xenondb.proto.wal.TermHistory;
import io.xenondb.proto.wal.TermStart;
import io.xenondb.proto.wal.VoteRequest;
import io.xenondb.shared.id.TenantTimelineId;

/** Builders of WAL service requests as a proposer sends them, for tests. */
final class WalServiceProtos {
    static final int PG_VERSION = 170_005;
    static final int WAL_SEG_SIZE = 16 * 1024 * 1024;

    private WalServiceProtos() {}

    static GreetRequest greet(TenantTimelineId timeline, long startLsn) {
        return GreetRequest.newBuilder()
                .setTenantTimelineId(timeline.toWalProto())
                .setProposerId("test")
                .setPgVersion(PG_VERSION)
                .setSystemId(7_000_000_000_000_000_001L)
                .setWalSegSize(WAL_SEG_SIZE)
                .setAllowTimelineCreation(true)
                .setTimelineStartLsn(startLsn)
                .build();
    }

    static VoteRequest vote(TenantTimelineId timeline, long term) {
        return VoteRequest.newBuilder()
                .setTenantTimelineId(timeline.toWalProto())
                .setTerm(term)
                .build();
    }

    /** Elect for a node with no WAL of older terms: the history is just {term, start}. */
    static ElectRequest elect(TenantTimelineId timeline, long term, long start) {
        return ElectRequest.newBuilder()
                .setTenantTimelineId(timeline.toWalProto())
                .setTerm(term)
                .setTermStartLsn(start)
                .setTermHistory(TermHistory.newBuilder()
                        .addEntries(TermStart.newBuilder().setTerm(term).setStartLsn(start)))
                .setStartStreamingAt(start)
                .build();
    }

    static AppendRequest append(TenantTimelineId timeline, long term, long begin, ByteString wal, long commitLsn) {
        return AppendRequest.newBuilder()
                .setTenantTimelineId(timeline.toWalProto())
                .setTerm(term)
                .setBeginLsn(begin)
                .setEndLsn(begin + wal.size())
                .setCommitLsn(commitLsn)
                .setWalData(wal)
                .build();
    }

    static ReadWalRequest read(TenantTimelineId timeline, long start, long end) {
        return ReadWalRequest.newBuilder()
                .setTenantTimelineId(timeline.toWalProto())
                .setStartLsn(start)
                .setEndLsn(end)
                .build();
    }
}
