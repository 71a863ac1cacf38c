package io.xenondb.controller.store;

import org.springframework.data.r2dbc.repository.Query;
import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;

/** The {@code tenants} table. */
public interface TenantRepository extends ReactiveCrudRepository<TenantRow, String> {
    /** A page of tenants in id order, after {@code startAfter} ("" for the first page). */
    @Query("SELECT tenant_id FROM tenants WHERE tenant_id > :startAfter ORDER BY tenant_id LIMIT :limit")
    Flux<TenantRow> page(String startAfter, int limit);
}
