/** The README's flow, driven only through {@code ./xenon} and JDBC, as a new user would. */
package io.xenondb.e2e.localflow;
