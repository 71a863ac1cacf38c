package io.xenondb.storagenode.remote;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where a storage node keeps its remote objects, parsed from Neon's pageserver {@code remote_storage} inline
 * table: {@code {local_path='/srv/remote'}} or {@code {bucket_name='b', bucket_region='us-east-1',
 * prefix_in_bucket='p', endpoint='http://127.0.0.1:9090'}}. {@link #toString} writes the same form back (with the
 * secret key masked).
 */
public sealed interface RemoteStorageConfig permits RemoteStorageConfig.LocalFs, RemoteStorageConfig.S3 {
    String SETTING = "remote_storage";

    /** Opens the storage this config names. */
    default RemoteStorage open() {
        return switch (this) {
            case LocalFs local -> new LocalDirectoryRemoteStorage(local.localPath());
            case S3 s3 -> new S3RemoteStorage(s3);
        };
    }

    /** Parses the inline-table text; a bad text is {@code INVALID_ARGUMENT} naming the field. */
    static RemoteStorageConfig parse(String text) {
        Map<String, Object> fields = new HashMap<>(InlineTable.parse(SETTING, text));
        for (String key : fields.keySet()) {
            if (!LocalFs.FIELDS.contains(key) && !S3.FIELDS.contains(key)) {
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT,
                        SETTING + "." + key + ": unknown field (expected one of " + LocalFs.FIELDS + " or " + S3.FIELDS
                                + ")");
            }
        }
        boolean local = fields.containsKey("local_path");
        boolean s3 = fields.containsKey("bucket_name");
        if (local == s3) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    SETTING + ": " + (local ? "both local_path and bucket_name" : "neither local_path nor bucket_name")
                            + " (expected: exactly one of them)");
        }
        ConfigFields f = new ConfigFields(fields);
        if (local) {
            f.onlyFrom(LocalFs.FIELDS, "local_path");
            return new LocalFs(Path.of(f.string("local_path")));
        }
        f.onlyFrom(S3.FIELDS, "bucket_name");
        String accessKey = f.optionalString("access_key_id");
        String secretKey = f.optionalString("secret_access_key");
        if ((accessKey == null) != (secretKey == null)) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    SETTING + ".access_key_id/secret_access_key: only one given (expected: both or neither)");
        }
        String endpoint = f.optionalString("endpoint");
        return new S3(
                f.string("bucket_name"),
                f.string("bucket_region"),
                f.optionalString("prefix_in_bucket"),
                endpoint == null ? null : endpoint(endpoint),
                accessKey == null ? null : new S3Credentials(accessKey, secretKey),
                f.duration("timeout", S3.DEFAULT_TIMEOUT),
                (int) f.integer("max_attempts", S3.DEFAULT_MAX_ATTEMPTS, 1, 100),
                (int) f.integer("concurrency_limit", S3.DEFAULT_CONCURRENCY_LIMIT, 1, 100_000),
                (int) f.integer("max_keys_per_list_response", 0, 0, 1000));
    }

    private static URI endpoint(String text) {
        try {
            URI uri = new URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new XenonException(
                ErrorCode.INVALID_ARGUMENT,
                SETTING + ".endpoint: '" + text + "' (expected: an http or https URL such as http://127.0.0.1:9090)");
    }

    /** Objects as files under a local directory, the embedded default. */
    record LocalFs(Path localPath) implements RemoteStorageConfig {
        static final Set<String> FIELDS = Set.of("local_path");

        public LocalFs {
            Objects.requireNonNull(localPath, "localPath");
        }

        @Override
        public String toString() {
            return "{local_path=" + quote(localPath.toString()) + "}";
        }
    }

    /**
     * An S3 bucket, or an S3-compatible server at {@code endpoint} (path-style access).
     *
     * @param prefixInBucket where in the bucket the objects go, or null for the bucket's root
     * @param endpoint an S3-compatible server, or null for AWS
     * @param credentials the keys to sign with, or null for the SDK's default provider chain
     * @param timeout the longest one attempt of one request may take
     * @param maxAttempts attempts of one request, the first included
     * @param concurrencyLimit the most connections open at once
     * @param maxKeysPerListResponse keys per list page, or 0 for the server's default (1000)
     */
    record S3(
            String bucketName,
            String bucketRegion,
            String prefixInBucket,
            URI endpoint,
            S3Credentials credentials,
            Duration timeout,
            int maxAttempts,
            int concurrencyLimit,
            int maxKeysPerListResponse)
            implements RemoteStorageConfig {
        static final Set<String> FIELDS = Set.of(
                "bucket_name",
                "bucket_region",
                "prefix_in_bucket",
                "endpoint",
                "access_key_id",
                "secret_access_key",
                "timeout",
                "max_attempts",
                "concurrency_limit",
                "max_keys_per_list_response");
        static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
        static final int DEFAULT_MAX_ATTEMPTS = 3;
        static final int DEFAULT_CONCURRENCY_LIMIT = 100;

        public S3 {
            requireText("bucket_name", bucketName);
            requireText("bucket_region", bucketRegion);
            if (prefixInBucket != null) {
                String trimmed = trimSlashes(prefixInBucket);
                prefixInBucket =
                        trimmed.isEmpty() ? null : RemoteKey.of(trimmed).value();
            }
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw ConfigFields.invalid("timeout", timeout.toString(), "a positive duration");
            }
            if (maxAttempts < 1) {
                throw ConfigFields.invalid("max_attempts", Integer.toString(maxAttempts), "at least 1");
            }
            if (concurrencyLimit < 1) {
                throw ConfigFields.invalid("concurrency_limit", Integer.toString(concurrencyLimit), "at least 1");
            }
            if (maxKeysPerListResponse < 0 || maxKeysPerListResponse > 1000) {
                throw ConfigFields.invalid(
                        "max_keys_per_list_response", Integer.toString(maxKeysPerListResponse), "0..1000");
            }
        }

        /** A bucket with the defaults: SDK credential chain, 120 s timeout, 3 attempts. */
        public static S3 of(String bucketName, String bucketRegion, String prefixInBucket, URI endpoint) {
            return new S3(
                    bucketName,
                    bucketRegion,
                    prefixInBucket,
                    endpoint,
                    null,
                    DEFAULT_TIMEOUT,
                    DEFAULT_MAX_ATTEMPTS,
                    DEFAULT_CONCURRENCY_LIMIT,
                    0);
        }

        public S3 withCredentials(S3Credentials credentials) {
            return new S3(
                    bucketName,
                    bucketRegion,
                    prefixInBucket,
                    endpoint,
                    credentials,
                    timeout,
                    maxAttempts,
                    concurrencyLimit,
                    maxKeysPerListResponse);
        }

        public S3 withRetries(Duration timeout, int maxAttempts) {
            return new S3(
                    bucketName,
                    bucketRegion,
                    prefixInBucket,
                    endpoint,
                    credentials,
                    timeout,
                    maxAttempts,
                    concurrencyLimit,
                    maxKeysPerListResponse);
        }

        public S3 withMaxKeysPerListResponse(int maxKeys) {
            return new S3(
                    bucketName,
                    bucketRegion,
                    prefixInBucket,
                    endpoint,
                    credentials,
                    timeout,
                    maxAttempts,
                    concurrencyLimit,
                    maxKeys);
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder("{bucket_name=")
                    .append(quote(bucketName))
                    .append(", bucket_region=")
                    .append(quote(bucketRegion));
            if (prefixInBucket != null) {
                out.append(", prefix_in_bucket=").append(quote(prefixInBucket));
            }
            if (endpoint != null) {
                out.append(", endpoint=").append(quote(endpoint.toString()));
            }
            if (credentials != null) {
                out.append(", access_key_id=")
                        .append(quote(credentials.accessKeyId()))
                        .append(", secret_access_key='***'");
            }
            out.append(", timeout=").append(quote(Durations.format(timeout)));
            out.append(", max_attempts=").append(maxAttempts);
            out.append(", concurrency_limit=").append(concurrencyLimit);
            if (maxKeysPerListResponse != 0) {
                out.append(", max_keys_per_list_response=").append(maxKeysPerListResponse);
            }
            return out.append('}').toString();
        }

        private static void requireText(String field, String value) {
            if (value == null || value.isBlank()) {
                throw ConfigFields.invalid(field, value, "a non-empty string");
            }
        }

        private static String trimSlashes(String text) {
            int from = 0;
            int to = text.length();
            while (from < to && text.charAt(from) == '/') {
                from++;
            }
            while (to > from && text.charAt(to - 1) == '/') {
                to--;
            }
            return text.substring(from, to);
        }
    }

    /** Static S3 keys; {@link #toString} masks the secret. */
    record S3Credentials(String accessKeyId, String secretAccessKey) {
        public S3Credentials {
            if (accessKeyId == null || accessKeyId.isEmpty()) {
                throw ConfigFields.invalid("access_key_id", accessKeyId, "a non-empty string");
            }
            if (secretAccessKey == null || secretAccessKey.isEmpty()) {
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT,
                        SETTING + ".secret_access_key: empty (expected: a non-empty string)");
            }
        }

        @Override
        public String toString() {
            return "S3Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=***]";
        }
    }

    private static String quote(String text) {
        // Literal strings cannot hold a quote; basic strings escape it.
        if (text.indexOf('\'') < 0 && text.chars().noneMatch(c -> c < 0x20)) {
            return "'" + text + "'";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
