/** The controller's command line, typed settings and Spring wiring. */
package io.xenondb.controller.config;
