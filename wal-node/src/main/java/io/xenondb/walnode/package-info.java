/** WAL node (Neon's safekeeper): the process, its one-line startup failures. */
package io.xenondb.walnode;
