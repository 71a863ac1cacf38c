/** The controller's own PostgreSQL: where it is (a URL, or an embedded one in dev mode) and its schema (Flyway). */
package io.xenondb.controller.db;
