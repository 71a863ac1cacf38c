/** Rows of the controller's tables and their Spring Data R2DBC repositories: the durable truth. */
package io.xenondb.controller.store;
