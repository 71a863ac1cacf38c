/** The storage node's management API (Neon's pageserver HTTP API). */
package io.xenondb.storagenode.http;
