/** Running a Xenon service as a separate JVM process: start, wait until it serves, stop, kill. */
package io.xenondb.service.process;
