/** JWT authentication of the controller's API: which scope each route needs, checked for every request. */
package io.xenondb.controller.auth;
