/** The Xenon-specific parts of a base backup tar: its info file and the incremental form's manifest and deltas. */
package io.xenondb.shared.basebackup;
