package io.xenondb.shared.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.client.walnode.AcceptorState;
import io.xenondb.shared.client.walnode.TermBumpRequest;
import io.xenondb.shared.client.walnode.TermBumpResponse;
import io.xenondb.shared.client.walnode.TermSwitchEntry;
import io.xenondb.shared.client.walnode.TimelineCreateRequest;
import io.xenondb.shared.client.walnode.TimelineStatus;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The WAL node's JSON bodies read and write Neon's field names and value forms. */
class WalNodeModelsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TenantTimelineId TIMELINE = new TenantTimelineId(
            TenantId.parse("9ef87a5bf0d92544f6fafeeb3239695c"), TimelineId.parse("0123456789abcdef0123456789abcdef"));

    @Test
    void acceptorStateIsWrittenAsNeonWritesIt() {
        // The expected text is Neon's own serialization test of AcceptorStateStatus (safekeeper http routes).
        AcceptorState state = new AcceptorState(
                Term.of(1), Term.of(1), List.of(new TermSwitchEntry(Term.of(1), Lsn.of(0x16FFDDDDL))));

        assertThat(JSON.writeValueAsString(state))
                .isEqualTo("{\"term\":1,\"epoch\":1,\"term_history\":[{\"term\":1,\"lsn\":\"0/16FFDDDD\"}]}");
        assertThat(JSON.readValue(JSON.writeValueAsString(state), AcceptorState.class))
                .isEqualTo(state);
    }

    @Test
    void timelineCreateRequestReadsNeonsBodyAndWritesOnlyWhatIsSet() {
        String neon = "{\"tenant_id\":\"9ef87a5bf0d92544f6fafeeb3239695c\","
                + "\"timeline_id\":\"0123456789abcdef0123456789abcdef\","
                + "\"mconf\":{\"generation\":1,\"members\":[{\"id\":1,\"host\":\"sk-1\",\"pg_port\":5454}],"
                + "\"new_members\":null},\"pg_version\":170005,\"system_id\":7300000000000000001,"
                + "\"wal_seg_size\":16777216,\"start_lsn\":\"0/149FD18\",\"commit_lsn\":null}";

        TimelineCreateRequest request = JSON.readValue(neon, TimelineCreateRequest.class);

        assertThat(request.timeline()).isEqualTo(TIMELINE);
        assertThat(request.mconf().members())
                .singleElement()
                .satisfies(m -> assertThat(m.pgPort()).isEqualTo(5454));
        assertThat(request.systemIdOrUnknown()).isEqualTo(7_300_000_000_000_000_001L);
        assertThat(request.startLsn()).isEqualTo(Lsn.parse("0/149FD18"));
        assertThat(JSON.writeValueAsString(TimelineCreateRequest.of(TIMELINE, 170005, Lsn.parse("0/149FD18"))))
                .isEqualTo("{\"tenant_id\":\"9ef87a5bf0d92544f6fafeeb3239695c\","
                        + "\"timeline_id\":\"0123456789abcdef0123456789abcdef\",\"pg_version\":170005,"
                        + "\"start_lsn\":\"0/149FD18\"}");
    }

    @Test
    void timelineCreateRequestRefusesWhatANodeCannotCreate() {
        assertThatThrownBy(() -> TimelineCreateRequest.of(TIMELINE, 90_600, Lsn.parse("0/1")))
                .isInstanceOf(XenonException.class)
                .hasMessageStartingWith("pg_version: 90600 (expected: a server_version_num of PostgreSQL 14..19");
        assertThatThrownBy(() -> TimelineCreateRequest.of(TIMELINE, 170_005, Lsn.INVALID))
                .hasMessageStartingWith("start_lsn: 0/0 (expected: a valid lsn");
        assertThatThrownBy(() -> new TimelineCreateRequest(
                        TIMELINE.tenantId(), TIMELINE.timelineId(), null, 170_005, null, null, Lsn.of(8), Lsn.of(16)))
                .hasMessageStartingWith("commit_lsn: 0/10 (expected: absent or equal to start_lsn 0/8");
        assertThatThrownBy(() -> new TimelineCreateRequest(
                        null, TIMELINE.timelineId(), null, 170_005, null, null, Lsn.of(8), null))
                .hasMessage("tenant_id: missing (expected: 32 hex chars)");
    }

    @Test
    void termBumpBodiesAndTimelineStatusRoundTrip() {
        assertThat(JSON.writeValueAsString(new TermBumpRequest(null))).isEqualTo("{}");
        assertThat(JSON.writeValueAsString(new TermBumpRequest(Term.of(7)))).isEqualTo("{\"term\":7}");
        assertThat(JSON.readValue("{\"previous_term\":3,\"current_term\":4}", TermBumpResponse.class))
                .isEqualTo(new TermBumpResponse(Term.of(3), Term.of(4)));

        String status = "{\"tenant_id\":\"9ef87a5bf0d92544f6fafeeb3239695c\","
                + "\"timeline_id\":\"0123456789abcdef0123456789abcdef\","
                + "\"mconf\":{\"generation\":0,\"members\":[],\"new_members\":null},"
                + "\"acceptor_state\":{\"term\":2,\"epoch\":2,\"term_history\":[{\"term\":2,\"lsn\":\"0/149FD18\"}]},"
                + "\"pg_info\":{\"pg_version\":170005,\"system_id\":0,\"wal_seg_size\":16777216},"
                + "\"flush_lsn\":\"0/14A0000\",\"timeline_start_lsn\":\"0/149FD18\",\"local_start_lsn\":\"0/149FD18\","
                + "\"commit_lsn\":\"0/14A0000\",\"backup_lsn\":\"0/149FD18\",\"peer_horizon_lsn\":\"0/149FD18\","
                + "\"remote_consistent_lsn\":\"0/0\",\"peers\":[],"
                + "\"walsenders\":[{\"Vanilla\":{\"conn_id\":3}}],\"walreceivers\":[{\"conn_id\":null,"
                + "\"status\":\"Streaming\"}]}";
        TimelineStatus parsed = JSON.readValue(status, TimelineStatus.class);
        assertThat(parsed.timeline()).isEqualTo(TIMELINE);
        assertThat(parsed.acceptorState().termHistory())
                .containsExactly(new TermSwitchEntry(Term.of(2), Lsn.parse("0/149FD18")));
        assertThat(parsed.flushLsn()).isEqualTo(Lsn.parse("0/14A0000"));
        assertThat(parsed.walsenders()).hasSize(1);
        assertThat(JSON.readValue(JSON.writeValueAsString(parsed), TimelineStatus.class))
                .isEqualTo(parsed);
    }
}
