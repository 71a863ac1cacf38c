package io.xenondb.compute.walproposer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.NodeId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The proposer's settings, config, PostgreSQL settings and metric names. */
class ProposerConfigurationTest {
    private static final TenantTimelineId TIMELINE =
            TenantTimelineId.parse("de200bd42b49cc1814412c7e592dd6e9/b7c8a5a2d0e04b1c9f3e6d7a8b9c0d1e");
    private static final List<WalNodeEndpoint> NODES = List.of(
            WalNodeEndpoint.parse("1@127.0.0.1:5454"),
            WalNodeEndpoint.parse("2@127.0.0.1:5455"),
            WalNodeEndpoint.parse("3@127.0.0.1:5456"));

    @Test
    void defaultSettings() {
        ProposerSettings settings = ProposerSettings.defaults();
        assertThat(settings.rpcTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.reconnectMin()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.reconnectMax()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.tickInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.statusInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void settingsRejectNonPositiveDurationsAndAnInvertedBackoff() {
        assertThatThrownBy(() -> new ProposerSettings(
                        Duration.ZERO,
                        Duration.ofMillis(1),
                        Duration.ofMillis(2),
                        Duration.ofMillis(1),
                        Duration.ofMillis(1)))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("rpc timeout: PT0S (expected: a positive duration)");
        assertThatThrownBy(() -> new ProposerSettings(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(1),
                        Duration.ofMillis(1),
                        Duration.ofMillis(1)))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("reconnect max: PT1S (expected: at least reconnect min PT2S)");
    }

    @Test
    void configDefaultsAndWithers() {
        WalProposerConfig config = WalProposerConfig.of(
                TIMELINE,
                NODES,
                "jdbc:postgresql://127.0.0.1:55432/postgres",
                "postgres",
                Path.of("pg_wal"),
                Lsn.parse("0/1000000"));
        assertThat(config.slotName()).isEqualTo("walproposer");
        assertThat(config.timelineStartLsn()).isEmpty();
        assertThat(config.settings()).isEqualTo(ProposerSettings.defaults());
        WalProposerConfig creating =
                config.withTimelineCreation(Lsn.parse("0/1000000")).withProposerId("compute-1");
        assertThat(creating.timelineStartLsn()).contains(Lsn.parse("0/1000000"));
        assertThat(creating.proposerId()).isEqualTo("compute-1");
        assertThat(creating.walNodes()).isEqualTo(NODES);
    }

    @Test
    void configRejectsDuplicateNodesAMissingStartAndBadSlotNames() {
        assertThatThrownBy(() -> config(
                        List.of(NODES.get(0), WalNodeEndpoint.parse("1@127.0.0.1:6000")), Lsn.parse("0/1000000"), "s"))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("ids distinct");
        assertThatThrownBy(() -> config(
                        List.of(NODES.get(0), WalNodeEndpoint.parse("2@127.0.0.1:5454")), Lsn.parse("0/1000000"), "s"))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("distinct addresses");
        assertThatThrownBy(() -> config(List.of(), Lsn.parse("0/1000000"), "s"))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> config(NODES, Lsn.INVALID, "s"))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("start lsn: 0/0");
        assertThatThrownBy(() -> config(NODES, Lsn.parse("0/1000000"), "Bad-Slot; DROP"))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("slot name: Bad-Slot; DROP (expected: 1-63 of a-z, 0-9, _)");
    }

    @Test
    void postgresSettingsMakeCommitWaitForTheProposer() {
        assertThat(ComputePostgresSettings.forCompute())
                .containsEntry("wal_level", "replica")
                .containsEntry("synchronous_standby_names", "walproposer")
                .containsEntry("synchronous_commit", "on")
                .containsEntry("full_page_writes", "on")
                .containsKey("max_wal_senders")
                .containsKey("max_replication_slots");
    }

    @Test
    void showSizesParse() {
        assertThat(PostgresReplication.parseSize("16MB")).isEqualTo(16 * 1024 * 1024);
        assertThat(PostgresReplication.parseSize("1GB")).isEqualTo(1024 * 1024 * 1024);
        assertThat(PostgresReplication.parseSize("64kB")).isEqualTo(64 * 1024);
        assertThat(PostgresReplication.parseSize("8192")).isEqualTo(8192);
    }

    @Test
    void metricsHaveTheirPrometheusNamesAndTags() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ProposerMetrics metrics = new ProposerMetrics(registry, TIMELINE);
        metrics.walLsn(Lsn.parse("0/1000100"));
        metrics.commitLsn(Lsn.parse("0/1000040"));
        metrics.elected(3);
        metrics.reconnected(NodeId.of(2));
        metrics.reconnected(NodeId.of(2));
        assertThat(registry.get("xenon.walproposer.commit.lsn")
                        .tag("timeline_id", TIMELINE.timelineId().toString())
                        .gauge()
                        .value())
                .isEqualTo(0x1000040);
        assertThat(registry.get("xenon.walproposer.commit.lag").gauge().value()).isEqualTo(0xC0);
        assertThat(registry.get("xenon.walproposer.term").gauge().value()).isEqualTo(3);
        assertThat(metrics.elections()).isEqualTo(1);
        assertThat(metrics.reconnects(NodeId.of(2))).isEqualTo(2);
        assertThat(metrics.reconnects(NodeId.of(1))).isZero();
        assertThat(registry.get("xenon.walproposer.reconnects")
                        .tag("node_id", "2")
                        .counter()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void startingWithoutAPostgresIsUnavailableNamingIt() {
        int port = io.xenondb.pgruntime.FreePorts.allocate();
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        assertThatThrownBy(() -> WalProposer.start(
                        WalProposerConfig.of(TIMELINE, NODES, url, "postgres", null, Lsn.parse("0/1000000")),
                        ProposerMetrics.unregistered(TIMELINE)))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("replication connection to " + url + " as postgres")
                .satisfies(e -> assertThat(((XenonException) e).code())
                        .isEqualTo(io.xenondb.shared.error.ErrorCode.UNAVAILABLE));
    }

    private static WalProposerConfig config(List<WalNodeEndpoint> nodes, Lsn start, String slot) {
        return new WalProposerConfig(
                TIMELINE,
                nodes,
                "",
                "jdbc:postgresql://127.0.0.1:1/postgres",
                "postgres",
                Optional.empty(),
                start,
                Optional.empty(),
                slot,
                ProposerSettings.defaults());
    }
}
