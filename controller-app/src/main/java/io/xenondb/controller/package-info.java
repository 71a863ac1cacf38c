/**
 * Storage controller (Neon's storcon): admin REST API, durable state in PostgreSQL, placement and generations of
 * tenant shards on storage nodes.
 */
package io.xenondb.controller;
