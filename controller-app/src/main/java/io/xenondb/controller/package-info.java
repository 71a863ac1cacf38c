/**
 * Storage controller: admin REST API, durable state, placement, reconciliation, generations.
 *
 * <p>Not built yet: see the open issues. DESIGN.md describes what lands here.
 */
package io.xenondb.controller;
