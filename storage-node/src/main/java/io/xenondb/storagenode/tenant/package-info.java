/** Tenant shards on the storage node: their timelines and images, bootstrap, branches and base backups. */
package io.xenondb.storagenode.tenant;
