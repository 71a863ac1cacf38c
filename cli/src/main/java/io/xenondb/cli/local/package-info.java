/**
 * The local control plane (Neon's neon_local): the repository directory, its config, and the services started
 * from it as processes of their own.
 */
package io.xenondb.cli.local;
