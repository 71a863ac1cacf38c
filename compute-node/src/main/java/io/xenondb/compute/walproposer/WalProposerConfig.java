package io.xenondb.compute.walproposer;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a compute's {@link WalProposer} needs.
 *
 * @param timeline the timeline the compute writes
 * @param walNodes the timeline's WAL nodes (quorum = n/2+1)
 * @param proposerId who the proposer is, for the WAL nodes' logs (e.g. the compute id)
 * @param postgresUrl {@code jdbc:postgresql://host:port/db} of the local PostgreSQL
 * @param postgresUser a user with the REPLICATION attribute
 * @param pgWalDir the PostgreSQL's {@code pg_wal} directory, to re-read WAL for lagging nodes; empty if not
 *     readable from here (lagging nodes then catch up from other WAL nodes only)
 * @param startLsn where the compute's WAL starts: its basebackup LSN, which must be the term start
 * @param timelineStartLsn for a brand-new timeline: let the greeting create it on the WAL nodes, starting here
 * @param slotName the physical replication slot that keeps PostgreSQL's WAL from the commit LSN on
 * @param settings timings of the IO layer
 */
public record WalProposerConfig(
        TenantTimelineId timeline,
        List<WalNodeEndpoint> walNodes,
        String proposerId,
        String postgresUrl,
        String postgresUser,
        Optional<Path> pgWalDir,
        Lsn startLsn,
        Optional<Lsn> timelineStartLsn,
        String slotName,
        ProposerSettings settings) {
    public static final String DEFAULT_SLOT = "walproposer";
    private static final Pattern SLOT = Pattern.compile("[a-z0-9_]{1,63}");

    public WalProposerConfig {
        Objects.requireNonNull(timeline, "timeline");
        walNodes = List.copyOf(walNodes);
        proposerId = proposerId == null ? "" : proposerId;
        Objects.requireNonNull(postgresUrl, "postgresUrl");
        Objects.requireNonNull(postgresUser, "postgresUser");
        Objects.requireNonNull(pgWalDir, "pgWalDir");
        Objects.requireNonNull(startLsn, "startLsn");
        Objects.requireNonNull(timelineStartLsn, "timelineStartLsn");
        Objects.requireNonNull(settings, "settings");
        if (walNodes.isEmpty()
                || walNodes.stream()
                                .map(WalNodeEndpoint::id)
                                .collect(java.util.stream.Collectors.toSet())
                                .size()
                        != walNodes.size()) {
            throw invalid("wal nodes: " + walNodes + " (expected: at least one, ids distinct)");
        }
        if (new HashSet<>(walNodes.stream().map(WalNodeEndpoint::address).toList()).size() != walNodes.size()) {
            throw invalid("wal nodes: " + walNodes + " (expected: distinct addresses)");
        }
        if (!startLsn.isValid()) {
            throw invalid("start lsn: " + startLsn + " (expected: the compute's basebackup lsn)");
        }
        if (slotName == null || !SLOT.matcher(slotName).matches()) {
            throw invalid("slot name: " + slotName + " (expected: 1-63 of a-z, 0-9, _)");
        }
    }

    /** A proposer for an existing timeline, slot {@value #DEFAULT_SLOT}, default settings. */
    public static WalProposerConfig of(
            TenantTimelineId timeline,
            List<WalNodeEndpoint> walNodes,
            String postgresUrl,
            String postgresUser,
            Path pgWalDir,
            Lsn startLsn) {
        return new WalProposerConfig(
                timeline,
                walNodes,
                "",
                postgresUrl,
                postgresUser,
                Optional.ofNullable(pgWalDir),
                startLsn,
                Optional.empty(),
                DEFAULT_SLOT,
                ProposerSettings.defaults());
    }

    /** The same, creating the timeline on WAL nodes that lack it, with its WAL starting at {@code start}. */
    public WalProposerConfig withTimelineCreation(Lsn start) {
        return new WalProposerConfig(
                timeline,
                walNodes,
                proposerId,
                postgresUrl,
                postgresUser,
                pgWalDir,
                startLsn,
                Optional.of(start),
                slotName,
                settings);
    }

    public WalProposerConfig withSettings(ProposerSettings newSettings) {
        return new WalProposerConfig(
                timeline,
                walNodes,
                proposerId,
                postgresUrl,
                postgresUser,
                pgWalDir,
                startLsn,
                timelineStartLsn,
                slotName,
                newSettings);
    }

    public WalProposerConfig withProposerId(String id) {
        return new WalProposerConfig(
                timeline,
                walNodes,
                id,
                postgresUrl,
                postgresUser,
                pgWalDir,
                startLsn,
                timelineStartLsn,
                slotName,
                settings);
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, "wal proposer config " + message);
    }
}
