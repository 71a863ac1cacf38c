/** The page service (Neon's {@code page_api.PageService}) over gRPC. */
package io.xenondb.storagenode.grpc;
