/** Typed errors: one exception type, stable codes, and the category that decides each protocol's status. */
package io.xenondb.shared.error;
