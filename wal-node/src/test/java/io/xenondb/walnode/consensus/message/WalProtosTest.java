package io.xenondb.walnode.consensus.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.xenondb.proto.wal.ReadWalResponse;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WalProtosTest {
    private static final TenantTimelineId TIMELINE =
            TenantTimelineId.parse("de200bd42b49cc1814412c7e592dd6e9/b7c8a5a2d0e04b1c9f3e6d7a8b9c0d1e");
    private static final TermHistory HISTORY = TermHistory.parse("[1@0/10,4@0/2A]");
    private static final Refusal REFUSAL = new Refusal(RefusalReason.STALE_TERM, Term.of(9), "term 4 < node term 9");

    @Test
    void everyMessageSurvivesTheRoundTrip() {
        var greet = new GreetRequest(TIMELINE, "compute-1", new ServerInfo(170_005, 42, 16 << 20), true, Lsn.of(0x10));
        assertThat(WalProtos.fromProto(WalProtos.toProto(greet))).isEqualTo(greet);
        var greeted = new GreetResponse(NodeId.of(3), Term.of(7));
        assertThat(WalProtos.fromProto(WalProtos.toProto(greeted))).isEqualTo(greeted);
        var vote = new VoteRequest(TIMELINE, Term.of(5));
        assertThat(WalProtos.fromProto(WalProtos.toProto(vote))).isEqualTo(vote);
        var voted = new VoteResponse(NodeId.of(3), Term.of(5), true, Lsn.of(0x40), Lsn.of(0x20), HISTORY, Lsn.of(0x10));
        assertThat(WalProtos.fromProto(WalProtos.toProto(voted))).isEqualTo(voted);
        var elect = new ElectRequest(TIMELINE, Term.of(4), Lsn.of(0x2A), HISTORY, Lsn.of(0x20));
        assertThat(WalProtos.fromProto(WalProtos.toProto(elect))).isEqualTo(elect);
        for (Optional<Refusal> refusal : java.util.List.of(Optional.<Refusal>empty(), Optional.of(REFUSAL))) {
            var elected = new ElectResponse(NodeId.of(3), Term.of(9), Lsn.of(0x20), refusal);
            assertThat(WalProtos.fromProto(WalProtos.toProto(elected))).isEqualTo(elected);
            var acked = new AppendResponse(NodeId.of(3), Term.of(9), Lsn.of(0x50), Lsn.of(0x48), refusal);
            assertThat(WalProtos.fromProto(WalProtos.toProto(acked))).isEqualTo(acked);
        }
        var append = new AppendRequest(
                TIMELINE,
                Term.of(4),
                Lsn.of(0x30),
                Lsn.of(0x33),
                Lsn.of(0x2A),
                Lsn.of(0x20),
                ByteString.copyFromUtf8("abc"));
        assertThat(WalProtos.fromProto(WalProtos.toProto(append))).isEqualTo(append);
        var read = new ReadWalRequest(TIMELINE, Lsn.of(0x10), Lsn.INVALID, Term.of(4));
        assertThat(WalProtos.fromProto(WalProtos.toProto(read))).isEqualTo(read);
        ReadWalResult chunk = new WalChunk(Lsn.of(0x10), ByteString.copyFromUtf8("wal"), Lsn.of(0x13));
        assertThat(WalProtos.fromProto(WalProtos.toProto(chunk))).isEqualTo(chunk);
        assertThat(WalProtos.fromProto(WalProtos.toProto((ReadWalResult) REFUSAL)))
                .isEqualTo(REFUSAL);
    }

    @Test
    void statusFillsTheConsensusFieldsOfTheWireMessage() {
        var status = new TimelineStatus(
                NodeId.of(2),
                TIMELINE,
                Term.of(9),
                Term.of(4),
                HISTORY,
                Lsn.of(0x50),
                Lsn.of(0x48),
                Lsn.of(0x40),
                Lsn.of(0x10),
                Lsn.of(0x10),
                new ServerInfo(170_005, 42, 16 << 20));
        var proto = WalProtos.toProto(status).setBackupLsn(0x30).build();
        assertThat(proto.getTerm()).isEqualTo(9);
        assertThat(proto.getLastLogTerm()).isEqualTo(4);
        assertThat(WalProtos.fromProto(proto.getTermHistory())).isEqualTo(HISTORY);
        assertThat(proto.getFlushLsn()).isEqualTo(0x50);
        assertThat(proto.getCommitLsn()).isEqualTo(0x48);
        assertThat(proto.getBackupLsn()).isEqualTo(0x30);
        assertThat(proto.getSystemId()).isEqualTo(42);
    }

    @Test
    void malformedWireMessagesAreTypedErrors() {
        var unorderedHistory = io.xenondb.proto.wal.TermHistory.newBuilder()
                .addEntries(
                        io.xenondb.proto.wal.TermStart.newBuilder().setTerm(5).setStartLsn(0x10))
                .addEntries(
                        io.xenondb.proto.wal.TermStart.newBuilder().setTerm(3).setStartLsn(0x20))
                .build();
        assertRejected(() -> WalProtos.fromProto(unorderedHistory), "strictly ascending terms");
        assertRejected(
                () -> WalProtos.fromProto(
                        io.xenondb.proto.wal.VoteRequest.newBuilder().setTerm(1).build()),
                "tenant_timeline_id: missing");
        var badAppend = WalProtos.toProto(new AppendRequest(
                        TIMELINE,
                        Term.of(4),
                        Lsn.of(0x30),
                        Lsn.of(0x33),
                        Lsn.INVALID,
                        Lsn.INVALID,
                        ByteString.copyFromUtf8("abc")))
                .toBuilder()
                .setEndLsn(0x40)
                .build();
        assertRejected(() -> WalProtos.fromProto(badAppend), "end - begin == size");
        var hugeTerm = io.xenondb.proto.wal.GreetResponse.newBuilder()
                .setNodeId(1)
                .setTerm(-1L)
                .build();
        assertRejected(() -> WalProtos.fromProto(hugeTerm), "term");
        var noReason = io.xenondb.proto.wal.Refusal.newBuilder().setTerm(3).build();
        assertRejected(() -> WalProtos.fromProto(noReason), "refusal.reason");
        assertRejected(() -> WalProtos.fromProto(ReadWalResponse.getDefaultInstance()), "a chunk or a refusal");
        var electWithOtherHistory =
                WalProtos.toProto(new ElectRequest(TIMELINE, Term.of(4), Lsn.of(0x2A), HISTORY, Lsn.of(0x20)))
                        .toBuilder()
                        .setTerm(5)
                        .build();
        assertRejected(() -> WalProtos.fromProto(electWithOtherHistory), "a history ending with 5@0/2A");
    }

    private static void assertRejected(Runnable parse, String message) {
        assertThatThrownBy(parse::run)
                .isInstanceOf(XenonException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((XenonException) e).code().category())
                        .isEqualTo(ErrorCode.INVALID_ARGUMENT.category()));
    }
}
