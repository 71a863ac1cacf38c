/** gRPC side of the broker: the BrokerService implementation over the hub and the server's lifecycle. */
package io.xenondb.broker.grpc;
