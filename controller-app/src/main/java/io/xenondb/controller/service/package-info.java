/** What the routes do: node registration, tenant placement with generations, timelines, the startup reconcile. */
package io.xenondb.controller.service;
