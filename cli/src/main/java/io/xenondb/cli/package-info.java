/** The {@code xenon} command line: the local control plane and tools such as {@code waldump}. */
package io.xenondb.cli;
