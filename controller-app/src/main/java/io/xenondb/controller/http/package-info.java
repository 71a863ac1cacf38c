/** The admin REST API with Neon's paths and JSON fields, health and status routes. */
package io.xenondb.controller.http;
