/**
 * compute_ctl as a process (Neon's {@code compute_ctl}): reads a compute spec, runs one compute through its
 * states, serves {@code /status}, {@code /configure}, {@code /terminate} and {@code /metrics}, and suspends the
 * compute when it has been idle for its suspend timeout.
 */
package io.xenondb.compute.ctl;
