/** Log sequence numbers and WAL segment/page arithmetic. */
package io.xenondb.shared.lsn;
