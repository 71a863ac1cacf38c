/** The WAL node's typed configuration, command-line flags, data directory and the Spring wiring of its parts. */
package io.xenondb.walnode.config;
