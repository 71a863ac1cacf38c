package io.xenondb.controller.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.controller.service.WalPlacement.Candidate;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("controller")
class WalPlacementTest {
    @Test
    void spreadsOverZonesBeforeLoad() {
        // Zone a has the three least loaded nodes; spreading still takes one per zone.
        List<Candidate> nodes = List.of(
                new Candidate(1, "a", 0),
                new Candidate(2, "a", 0),
                new Candidate(3, "a", 1),
                new Candidate(4, "b", 5),
                new Candidate(5, "c", 9),
                new Candidate(6, "c", 7));
        assertThat(ids(WalPlacement.choose(nodes))).containsExactly(1L, 4L, 6L);
    }

    @Test
    void fewerZonesThanNodesFillsWithTheLeastLoaded() {
        List<Candidate> nodes = List.of(
                new Candidate(1, "a", 3), new Candidate(2, "a", 1), new Candidate(3, "b", 2), new Candidate(4, "b", 0));
        // One per zone (the least loaded of each: 4, then 2), then the least loaded left (3).
        assertThat(ids(WalPlacement.choose(nodes))).containsExactly(4L, 2L, 3L);
    }

    @Test
    void tiesGoToTheLowestId() {
        List<Candidate> nodes = List.of(
                new Candidate(9, "a", 2), new Candidate(7, "b", 2), new Candidate(8, "c", 2), new Candidate(3, "a", 2));
        assertThat(ids(WalPlacement.choose(nodes))).containsExactly(3L, 7L, 8L);
    }

    @Test
    void twoNodesAreAQuorumOfThreeOneIsRefused() {
        assertThat(ids(WalPlacement.choose(List.of(new Candidate(2, "a", 0), new Candidate(1, "a", 0)))))
                .containsExactly(1L, 2L);
        assertThatThrownBy(() -> WalPlacement.choose(List.of(new Candidate(1, "a", 0))))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("1 Active WAL node(s)")
                .hasMessageContaining("at least 2");
        assertThatThrownBy(() -> WalPlacement.choose(List.of()))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("0 Active WAL node(s)");
    }

    @Test
    void quorumIsAMajority() {
        assertThat(WalPlacement.quorum(1)).isEqualTo(1);
        assertThat(WalPlacement.quorum(2)).isEqualTo(2);
        assertThat(WalPlacement.quorum(3)).isEqualTo(2);
        assertThat(WalPlacement.quorum(5)).isEqualTo(3);
    }

    /** Seeded random node sets against the rule stated independently: max zones, then the least loaded. */
    @Test
    void randomSetsFollowTheRule() {
        Random random = new Random(20_250_605L);
        for (int round = 0; round < 2_000; round++) {
            int n = 2 + random.nextInt(8);
            List<Candidate> nodes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                nodes.add(new Candidate(i * 3L + random.nextInt(3), "z" + random.nextInt(4), random.nextInt(5)));
            }
            nodes = dedupe(nodes);
            if (nodes.size() < 2) {
                continue;
            }
            Collections.shuffle(nodes, random);
            List<Candidate> chosen = WalPlacement.choose(nodes);
            Set<String> allZones = new HashSet<>(
                    nodes.stream().map(Candidate::availabilityZoneId).toList());
            Set<String> chosenZones = new HashSet<>(
                    chosen.stream().map(Candidate::availabilityZoneId).toList());
            int size = Math.min(3, nodes.size());
            assertThat(chosen).hasSize(size).doesNotHaveDuplicates();
            assertThat(nodes).containsAll(chosen);
            // As many distinct zones as possible.
            assertThat(chosenZones).hasSize(Math.min(size, allZones.size()));
            // Within each chosen zone, no unchosen node of that zone is strictly better (load, then id) than the
            // best chosen node of it.
            for (String zone : chosenZones) {
                Candidate best = chosen.stream()
                        .filter(c -> c.availabilityZoneId().equals(zone))
                        .min((x, y) -> x.timelines() != y.timelines()
                                ? Long.compare(x.timelines(), y.timelines())
                                : Long.compare(x.id(), y.id()))
                        .orElseThrow();
                for (Candidate c : nodes) {
                    if (c.availabilityZoneId().equals(zone) && !chosen.contains(c)) {
                        assertThat(c.timelines() > best.timelines()
                                        || (c.timelines() == best.timelines() && c.id() > best.id()))
                                .as("round %d: %s left out while %s chosen in zone %s", round, c, best, zone)
                                .isTrue();
                    }
                }
            }
        }
    }

    private static List<Candidate> dedupe(List<Candidate> nodes) {
        Set<Long> seen = new HashSet<>();
        List<Candidate> unique = new ArrayList<>();
        for (Candidate c : nodes) {
            if (seen.add(c.id())) {
                unique.add(c);
            }
        }
        return unique;
    }

    private static List<Long> ids(List<Candidate> chosen) {
        return chosen.stream().map(Candidate::id).toList();
    }
}
