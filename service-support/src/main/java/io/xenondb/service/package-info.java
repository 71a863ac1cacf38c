/** Pieces every Xenon Spring service shares, so that they behave alike. */
package io.xenondb.service;
