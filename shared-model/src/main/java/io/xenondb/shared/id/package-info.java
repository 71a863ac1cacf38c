/**
 * Identifier value types (tenants, timelines, shards, nodes, generations, terms) in Neon's text, JSON and
 * protobuf forms.
 */
package io.xenondb.shared.id;
