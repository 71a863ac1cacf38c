/** Who may call the storage node: JWT checks on the management API and the page service. */
package io.xenondb.storagenode.auth;
