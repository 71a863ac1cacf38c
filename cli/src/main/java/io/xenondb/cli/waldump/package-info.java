/** {@code xenon waldump}: lists the records of PostgreSQL WAL segment files, like pg_waldump. */
package io.xenondb.cli.waldump;
