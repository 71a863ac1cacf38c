/**
 * Typed views of the WAL records that change structure rather than pages — checkpoints, relation file
 * create/truncate, database create/drop, transaction commit/abort, relation map updates — parsed from the main
 * data with bounds checks.
 */
package io.xenondb.shared.wal.view;
