package io.xenondb.shared.client.storagenode;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.text.HumanDuration;
import java.time.Duration;

/**
 * The tenant settings Xenon's storage node uses, with Neon's names; absent ones take the defaults. Durations
 * are humantime strings ({@code "7 days"}, {@code "10m"}). Other Neon settings are accepted and ignored.
 *
 * @param checkpointDistance WAL bytes since the last image after which a new image is made (256 MiB)
 * @param gcHorizon WAL bytes below the tip kept whatever the time (64 MiB)
 * @param pitrInterval how far back in time a timeline stays readable ("7 days")
 * @param gcPeriod how often GC runs ("1 hour"; "0s" never)
 * @param lsnLeaseLength how long an LSN lease lasts ("10 minutes")
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TenantConf(
        @JsonProperty("checkpoint_distance") Long checkpointDistance,
        @JsonProperty("gc_horizon") Long gcHorizon,
        @JsonProperty("pitr_interval") String pitrInterval,
        @JsonProperty("gc_period") String gcPeriod,
        @JsonProperty("lsn_lease_length") String lsnLeaseLength) {
    public static final long DEFAULT_CHECKPOINT_DISTANCE = 256L * 1024 * 1024;
    public static final long DEFAULT_GC_HORIZON = 64L * 1024 * 1024;

    public TenantConf {
        if (checkpointDistance != null && checkpointDistance < 1024 * 1024) {
            throw invalid("checkpoint_distance: " + checkpointDistance + " (expected: at least 1048576 bytes)");
        }
        if (gcHorizon != null && gcHorizon < 0) {
            throw invalid("gc_horizon: " + gcHorizon + " (expected: bytes, 0 or more)");
        }
        check("pitr_interval", pitrInterval);
        check("gc_period", gcPeriod);
        check("lsn_lease_length", lsnLeaseLength);
    }

    public static TenantConf defaults() {
        return new TenantConf(null, null, null, null, null);
    }

    public long checkpointDistanceOrDefault() {
        return checkpointDistance == null ? DEFAULT_CHECKPOINT_DISTANCE : checkpointDistance;
    }

    public long gcHorizonOrDefault() {
        return gcHorizon == null ? DEFAULT_GC_HORIZON : gcHorizon;
    }

    public Duration pitrIntervalOrDefault() {
        return pitrInterval == null ? Duration.ofDays(7) : HumanDuration.parse(pitrInterval);
    }

    public Duration gcPeriodOrDefault() {
        return gcPeriod == null ? Duration.ofHours(1) : HumanDuration.parse(gcPeriod);
    }

    public Duration lsnLeaseLengthOrDefault() {
        return lsnLeaseLength == null ? Duration.ofMinutes(10) : HumanDuration.parse(lsnLeaseLength);
    }

    private static void check(String field, String value) {
        if (value != null) {
            try {
                HumanDuration.parse(value);
            } catch (XenonException e) {
                throw invalid(field + ": " + e.getMessage());
            }
        }
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
