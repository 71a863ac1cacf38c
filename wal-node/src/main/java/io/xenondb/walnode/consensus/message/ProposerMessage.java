package io.xenondb.walnode.consensus.message;

/** A request a proposer sends to a WAL node. */
public sealed interface ProposerMessage permits GreetRequest, VoteRequest, ElectRequest, AppendRequest {}
