/**
 * JSON bodies of the WAL node's HTTP API, field for field as Neon's safekeeper API
 * ({@code libs/safekeeper_api/src/models.rs}): snake_case names, LSNs as {@code "X/X"}, ids as hex strings.
 */
package io.xenondb.shared.client.walnode;
