package io.xenondb.walnode.timeline;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.storage.InMemoryControlStore;
import io.xenondb.walnode.consensus.storage.InMemoryWalStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Stores in memory: nothing survives the process. For tests that need no disk. */
public final class InMemoryTimelineStorageFactory implements TimelineStorageFactory {
    private final Map<TenantTimelineId, TimelineStorage> stores = new ConcurrentHashMap<>();

    @Override
    public List<TenantTimelineId> discover() {
        return stores.keySet().stream().sorted().toList();
    }

    @Override
    public TimelineStorage create(TenantTimelineId timeline, Lsn startLsn) {
        TimelineStorage storage =
                new TimelineStorage(new InMemoryWalStore(startLsn), new InMemoryControlStore(), () -> {});
        if (stores.putIfAbsent(timeline, storage) != null) {
            throw new XenonException(ErrorCode.CONFLICT, "timeline " + timeline + " already exists in memory");
        }
        return storage;
    }

    @Override
    public TimelineStorage open(TenantTimelineId timeline) {
        TimelineStorage storage = stores.get(timeline);
        if (storage == null) {
            throw new XenonException(ErrorCode.NOT_FOUND, "timeline " + timeline + " is not in memory");
        }
        return storage;
    }

    @Override
    public boolean delete(TenantTimelineId timeline) {
        return stores.remove(timeline) != null;
    }

    @Override
    public String describe() {
        return "memory (nothing survives a restart)";
    }
}
