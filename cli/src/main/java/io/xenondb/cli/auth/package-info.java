/** Tokens for the services' JWT auth: minting, and the key pair they are signed with. */
package io.xenondb.cli.auth;
