package io.xenondb.controller.service;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Where a new timeline's WAL goes: {@value #SET_SIZE} WAL nodes, in as many distinct availability zones as there
 * are, the least loaded (fewest timelines) first, then the lowest id. With fewer Active nodes than that, the set
 * is what there is as long as it is at least a quorum of a full set (2 of 3): such a set commits only while all
 * its nodes are up, which is better than no timeline. With fewer the placement is refused.
 */
public final class WalPlacement {
    /** Neon's size of a timeline's safekeeper set. */
    public static final int SET_SIZE = 3;

    /** A node that may take the timeline: its id, zone and how many timelines it holds. */
    public record Candidate(long id, String availabilityZoneId, long timelines) {
        public Candidate {
            Objects.requireNonNull(availabilityZoneId, "availabilityZoneId");
            if (timelines < 0) {
                throw new IllegalArgumentException("timelines: " + timelines + " (expected: 0 or more)");
            }
        }
    }

    private static final Comparator<Candidate> LEAST_LOADED =
            Comparator.comparingLong(Candidate::timelines).thenComparingLong(Candidate::id);

    private WalPlacement() {}

    /** How many nodes must acknowledge for a set of {@code size}: a majority. */
    public static int quorum(int size) {
        return size / 2 + 1;
    }

    /**
     * The nodes of a new timeline's set, in the order chosen (zone spreading first, then load, then id).
     *
     * @throws XenonException UNAVAILABLE when fewer than a quorum of a full set are given
     */
    public static List<Candidate> choose(List<Candidate> active) {
        if (active.size() < quorum(SET_SIZE)) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE,
                    "no WAL nodes for the timeline: " + active.size() + " Active WAL node(s) (expected: at least "
                            + quorum(SET_SIZE) + ", a quorum of a set of " + SET_SIZE
                            + "; see GET /control/v1/safekeeper)");
        }
        List<Candidate> ordered = new ArrayList<>(active);
        ordered.sort(LEAST_LOADED);
        List<Candidate> chosen = new ArrayList<>();
        Set<String> zones = new HashSet<>();
        // First one per zone, the least loaded of each zone in turn; then fill from what is left.
        for (Candidate c : ordered) {
            if (chosen.size() < SET_SIZE && zones.add(c.availabilityZoneId())) {
                chosen.add(c);
            }
        }
        for (Candidate c : ordered) {
            if (chosen.size() < SET_SIZE && !chosen.contains(c)) {
                chosen.add(c);
            }
        }
        return List.copyOf(chosen);
    }
}
