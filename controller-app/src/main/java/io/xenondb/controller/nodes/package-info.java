/** Talking to storage nodes (reactive HTTP) and what the controller has observed of them (not persisted). */
package io.xenondb.controller.nodes;
