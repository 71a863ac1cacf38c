package io.xenondb.shared.client.walnode;

import com.fasterxml.jackson.annotation.JsonProperty;

/** An open stream from a proposer (Neon's WalReceiverState): {@code status} is {@code Voting} or {@code Streaming}. */
public record WalReceiverState(
        @JsonProperty("conn_id") Long connId,
        @JsonProperty("status") String status) {}
