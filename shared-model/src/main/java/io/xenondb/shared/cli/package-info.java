/** Command lines of Xenon services: declared flags, their Neon-style forms normalised for Spring, and flag values. */
package io.xenondb.shared.cli;
