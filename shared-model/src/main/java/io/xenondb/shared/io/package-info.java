/** File-system helpers shared by the services' durable stores. */
package io.xenondb.shared.io;
