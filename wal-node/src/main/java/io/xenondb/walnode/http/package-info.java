/** Neon's safekeeper HTTP API over WebFlux, and the house mapping of failures to HTTP answers. */
package io.xenondb.walnode.http;
