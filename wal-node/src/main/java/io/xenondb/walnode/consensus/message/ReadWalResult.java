package io.xenondb.walnode.consensus.message;

/** The answer to one {@link ReadWalRequest} step: a chunk of WAL, or a refusal (recovery reads only). */
public sealed interface ReadWalResult permits WalChunk, Refusal {}
