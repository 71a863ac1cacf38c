/** The seed's storage-controller curl examples, run with the real curl against a controller with auth on. */
package io.xenondb.e2e.seed;
