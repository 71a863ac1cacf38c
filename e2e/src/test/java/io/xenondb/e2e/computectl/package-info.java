/** compute_ctl as a process against a real broker, WAL nodes and storage node. */
package io.xenondb.e2e.computectl;
