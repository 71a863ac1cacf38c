/** Publishing this node's timeline state to the storage broker. */
package io.xenondb.walnode.broker;
