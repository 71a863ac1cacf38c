/** JSON models of the storage node's management API (Neon's pageserver API), shared by the node and its clients. */
package io.xenondb.shared.client.storagenode;
