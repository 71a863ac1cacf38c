package io.xenondb.walnode.http;

import io.xenondb.shared.client.walnode.AcceptorState;
import io.xenondb.shared.client.walnode.MembershipConfiguration;
import io.xenondb.shared.client.walnode.PgServerInfo;
import io.xenondb.shared.client.walnode.TermSwitchEntry;
import io.xenondb.shared.client.walnode.TimelineStatus;
import io.xenondb.shared.client.walnode.WalReceiverState;
import io.xenondb.walnode.consensus.message.ServerInfo;
import io.xenondb.walnode.timeline.TimelineState;
import java.util.Collections;
import java.util.List;

/** The HTTP API's view of a timeline: the acceptor's status and the actor's state in Neon's JSON shape. */
final class StatusViews {
    private StatusViews() {}

    static TimelineStatus timelineStatus(
            io.xenondb.walnode.consensus.message.TimelineStatus status, TimelineState state) {
        List<TermSwitchEntry> history = state.adoptedHistory().entries().stream()
                .map(entry -> new TermSwitchEntry(entry.term(), entry.startLsn()))
                .toList();
        ServerInfo server = status.serverInfo();
        return new TimelineStatus(
                status.timeline().tenantId(),
                status.timeline().timelineId(),
                MembershipConfiguration.EMPTY,
                new AcceptorState(status.term(), status.lastLogTerm(), history),
                new PgServerInfo(server.pgVersion(), server.systemId(), server.walSegSize()),
                status.flushLsn(),
                status.timelineStartLsn(),
                status.localStartLsn(),
                status.commitLsn(),
                state.backupLsn(),
                status.truncateLsn(),
                state.remoteConsistentLsn(),
                List.of(),
                List.of(),
                Collections.nCopies(state.appendStreams(), new WalReceiverState(null, "Streaming")));
    }
}
