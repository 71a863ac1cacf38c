/**
 * Durable storage of one timeline on a WAL node: WAL segment files byte-identical to PostgreSQL's and an
 * append-only control log, both cut back to their intact prefix when reopened after a crash.
 */
package io.xenondb.walnode.storage;
