/** PostgreSQL 17 on-disk formats other than WAL, such as {@code global/pg_control}. */
package io.xenondb.shared.pg;
