package io.xenondb.controller.store;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;

/** The {@code wal_nodes} table. New rows go in through {@code R2dbcEntityTemplate.insert}: the id is the caller's. */
public interface WalNodeRepository extends ReactiveCrudRepository<WalNodeRow, Long> {
    Flux<WalNodeRow> findAllByOrderByIdAsc();
}
