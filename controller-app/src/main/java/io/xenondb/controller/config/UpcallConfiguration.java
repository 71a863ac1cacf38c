package io.xenondb.controller.config;

import io.xenondb.controller.nodes.ObservedState;
import io.xenondb.controller.service.ControllerMetrics;
import io.xenondb.controller.service.Generations;
import io.xenondb.controller.store.NodeRepository;
import io.xenondb.controller.store.TenantShardRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;

/** Wires the storage nodes' upcalls (re-attach, validate). */
@Configuration(proxyBeanMethods = false)
public class UpcallConfiguration {
    @Bean
    Generations generations(
            TenantShardRepository shards,
            NodeRepository nodes,
            R2dbcEntityTemplate template,
            ObservedState observed,
            ControllerMetrics metrics) {
        return new Generations(shards, nodes, template, observed, metrics);
    }
}
