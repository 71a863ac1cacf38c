/** JWT authentication as Neon does it: Ed25519-signed tokens with a scope and, for tenant tokens, a tenant id. */
package io.xenondb.shared.auth;
