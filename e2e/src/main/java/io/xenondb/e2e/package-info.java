/**
 * Black-box tests of the whole system through the CLI, REST and SQL.
 *
 * <p>Not built yet: see the open issues. DESIGN.md describes what lands here.
 */
package io.xenondb.e2e;
