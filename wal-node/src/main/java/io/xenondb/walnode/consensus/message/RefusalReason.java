package io.xenondb.walnode.consensus.message;

/** Why a WAL node refused a proposer's request (the wire's {@code RefusalReason}). */
public enum RefusalReason {
    /** The node has voted for or accepted a higher term: the proposer lost and must stop. */
    STALE_TERM,
    /** The term is current but the node has not accepted Elect for it. */
    NOT_ELECTED,
    /** The request does not start where the node's WAL ends; the response's flush LSN says where it does. */
    NOT_CONTIGUOUS
}
