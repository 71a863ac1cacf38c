package io.xenondb.compute.ctl;

import io.xenondb.shared.lsn.Lsn;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer of {@code GET /status}: the state, {@code last_active} (the last time a client was connected, or
 * the start; null before Running), when compute_ctl started, the error of a failed compute, and what it serves
 * (null while {@code Empty}). {@code lsn} is the LSN the compute started at, once known.
 */
public record ComputeStatus(
        ComputeState status, Instant lastActive, Instant startTime, String error, ComputeSpec spec, Lsn lsn) {

    /** The JSON object of {@code /status} (snake_case; times in RFC 3339, UTC). */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", status.name());
        json.put("last_active", lastActive == null ? null : lastActive.toString());
        json.put("start_time", startTime.toString());
        if (error != null) {
            json.put("error", error);
        }
        json.put("pg_port", spec == null ? null : spec.pgPort());
        json.put("tenant_id", spec == null ? null : spec.tenantId().toString());
        json.put("timeline_id", spec == null ? null : spec.timelineId().toString());
        json.put("mode", spec == null ? null : spec.mode().toJson());
        json.put("lsn", lsn == null || !lsn.isValid() ? null : lsn.toString());
        return json;
    }
}
