/** The endpoint start benchmark: {@code xenon endpoint start} to the first query, cold and warm, against pg_ctl start. */
package io.xenondb.bench.start;
