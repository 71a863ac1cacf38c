/**
 * The streaming WAL decoder: page headers, records reassembled across pages and segments, end-of-WAL
 * detection and typed errors for corrupt input.
 */
package io.xenondb.shared.wal.decode;
