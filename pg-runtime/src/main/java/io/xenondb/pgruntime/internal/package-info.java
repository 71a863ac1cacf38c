/** Implementation details of the PostgreSQL runtime: processes, OS users, files; not an API. */
package io.xenondb.pgruntime.internal;
