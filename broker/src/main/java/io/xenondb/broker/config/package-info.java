/** The broker's typed configuration, its command-line flags and the Spring wiring of its parts. */
package io.xenondb.broker.config;
