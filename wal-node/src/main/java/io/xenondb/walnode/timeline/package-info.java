/**
 * Timelines at run time: one serial actor per timeline owning its acceptor and stores (group commit, live
 * state), the registry of timelines, append and read streams, and the choice of storage.
 */
package io.xenondb.walnode.timeline;
