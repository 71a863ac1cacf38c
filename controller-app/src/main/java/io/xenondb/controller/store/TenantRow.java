package io.xenondb.controller.store;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A tenant; its shards are {@link TenantShardRow}s. */
@Table("tenants")
public record TenantRow(@Id String tenantId) {}
