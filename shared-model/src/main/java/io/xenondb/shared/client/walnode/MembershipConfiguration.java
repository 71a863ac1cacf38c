package io.xenondb.shared.client.walnode;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The WAL-node set of a timeline and its generation (Neon's membership Configuration). Xenon does not run
 * membership changes yet: nodes accept it on creation and report {@link #EMPTY} (generation 0, Neon's
 * "pre-generations" configuration).
 */
public record MembershipConfiguration(
        @JsonProperty("generation") int generation,
        @JsonProperty("members") List<SafekeeperMember> members,
        @JsonProperty("new_members") List<SafekeeperMember> newMembers) {
    public static final MembershipConfiguration EMPTY = new MembershipConfiguration(0, List.of(), null);

    public MembershipConfiguration {
        members = members == null ? List.of() : List.copyOf(members);
        newMembers = newMembers == null ? null : List.copyOf(newMembers);
    }
}
