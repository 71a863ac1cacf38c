/** The {@code xenon} commands of the local system: init, start, stop, status and the services one by one. */
package io.xenondb.cli.command;
