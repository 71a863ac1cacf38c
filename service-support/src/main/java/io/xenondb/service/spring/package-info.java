/** Spring settings and startup steps every Xenon service shares, so that they behave alike. */
package io.xenondb.service.spring;
