package io.xenondb.controller.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.controller.nodes.WalNodeSchedulingPolicy;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;

/** {@code POST /control/v1/safekeeper/{id}/scheduling_policy} (Neon's {@code SafekeeperSchedulingPolicyRequest}). */
public record WalNodePolicyUpdate(
        @JsonProperty("scheduling_policy") WalNodeSchedulingPolicy schedulingPolicy) {
    public WalNodePolicyUpdate {
        if (schedulingPolicy == null) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "scheduling_policy: missing (expected: Active, Activating, Pause or Decomissioned)");
        }
    }
}
