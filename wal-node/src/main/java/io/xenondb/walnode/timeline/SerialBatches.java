package io.xenondb.walnode.timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serial executor that hands its work over in batches: {@link #submit} from any thread queues an item, and at
 * most one drain at a time (on the executor) takes everything queued so far and gives it to the handler as one
 * batch, again and again until the queue is empty. Successive drains happen-before each other, so the handler
 * may keep unsynchronized state.
 */
final class SerialBatches<W> {
    private static final Logger LOG = LoggerFactory.getLogger(SerialBatches.class);

    private final Queue<W> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Executor executor;
    private final Consumer<List<W>> handler;

    SerialBatches(Executor executor, Consumer<List<W>> handler) {
        this.executor = executor;
        this.handler = handler;
    }

    void submit(W work) {
        queue.add(work);
        if (scheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            List<W> batch = new ArrayList<>();
            for (W work; (work = queue.poll()) != null; ) {
                batch.add(work);
            }
            if (batch.isEmpty()) {
                scheduled.set(false);
                // Work added between the last poll and clearing the flag would otherwise wait for the next submit.
                if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            try {
                handler.accept(batch);
            } catch (RuntimeException | Error e) {
                // A handler is expected to deal with its own failures; if one escapes, later work must still run.
                LOG.error("a batch of {} item(s) failed", batch.size(), e);
            }
        }
    }
}
