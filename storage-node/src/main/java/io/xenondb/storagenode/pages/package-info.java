/** Page reads at an LSN (GetPage, sizes, SLRU segments) from data directories materialised by crash recovery. */
package io.xenondb.storagenode.pages;
