package io.xenondb.storagenode.remote;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Remote storage in an S3 bucket (or an S3-compatible server, path-style) through the AWS SDK v2 sync client.
 * Objects live under {@code <prefix_in_bucket>/<key>}. Timeouts and retries are the config's, not the SDK's
 * defaults; every failure becomes a {@code XenonException}: {@code NOT_FOUND} for a missing object,
 * {@code UNAVAILABLE} for network failures, timeouts, throttling, 5xx and a missing bucket.
 */
public final class S3RemoteStorage implements RemoteStorage {
    private static final int DELETE_BATCH = 1000;

    private final RemoteStorageConfig.S3 config;
    private final String bucket;
    private final String prefix;
    private final S3Client s3;

    public S3RemoteStorage(RemoteStorageConfig.S3 config) {
        this.config = config;
        this.bucket = config.bucketName();
        this.prefix = config.prefixInBucket() == null ? "" : config.prefixInBucket() + "/";
        this.s3 = client(config);
    }

    private static S3Client client(RemoteStorageConfig.S3 config) {
        Duration timeout = config.timeout();
        AwsCredentialsProvider credentials = config.credentials() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        config.credentials().accessKeyId(), config.credentials().secretAccessKey()));
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(config.bucketRegion()))
                .credentialsProvider(credentials)
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(
                                timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
                        .socketTimeout(timeout)
                        .maxConnections(config.concurrencyLimit()))
                .overrideConfiguration(c -> c.apiCallAttemptTimeout(timeout)
                        .apiCallTimeout(
                                timeout.multipliedBy(config.maxAttempts()).plusSeconds(1))
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(config.maxAttempts())
                                .build()));
        if (config.endpoint() != null) {
            // S3-compatible servers: bucket in the path, and checksums only where the API requires them, since
            // such servers lag behind AWS's newer default checksum headers.
            builder.endpointOverride(config.endpoint())
                    .forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }

    public RemoteStorageConfig.S3 config() {
        return config;
    }

    @Override
    public void upload(RemoteKey key, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "upload source: " + file + " (expected: an existing file)");
        }
        call("upload", key, () -> s3.putObject(b -> b.bucket(bucket).key(objectKey(key)), RequestBody.fromFile(file)));
    }

    @Override
    public void upload(RemoteKey key, byte[] bytes) {
        call(
                "upload",
                key,
                () -> s3.putObject(b -> b.bucket(bucket).key(objectKey(key)), RequestBody.fromBytes(bytes)));
    }

    @Override
    public void download(RemoteKey key, Path target) {
        call("download", key, () -> {
            try (ResponseInputStream<GetObjectResponse> in =
                    s3.getObject(b -> b.bucket(bucket).key(objectKey(key)))) {
                LocalFiles.writeAtomically(target, channel -> copy(in, channel));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        });
    }

    @Override
    public byte[] download(RemoteKey key) {
        return call(
                "download",
                key,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(objectKey(key)))
                        .asByteArray());
    }

    @Override
    public List<RemoteObject> list(String keyPrefix) {
        RemoteKey.checkPrefix(keyPrefix);
        return call("list", null, () -> {
            ListObjectsV2Request.Builder request =
                    ListObjectsV2Request.builder().bucket(bucket).prefix(prefix + keyPrefix);
            if (config.maxKeysPerListResponse() > 0) {
                request.maxKeys(config.maxKeysPerListResponse());
            }
            List<RemoteObject> found = new ArrayList<>();
            for (S3Object object : s3.listObjectsV2Paginator(request.build()).contents()) {
                // Keys that are not ours (written by other tools, e.g. "a//b") are skipped, not fatal.
                String key = object.key().substring(prefix.length());
                try {
                    found.add(new RemoteObject(RemoteKey.of(key), object.size()));
                } catch (XenonException e) {
                    continue;
                }
            }
            found.sort(null);
            return found;
        });
    }

    @Override
    public void delete(Collection<RemoteKey> keys) {
        List<RemoteKey> all = List.copyOf(keys);
        for (int from = 0; from < all.size(); from += DELETE_BATCH) {
            List<RemoteKey> batch = all.subList(from, Math.min(all.size(), from + DELETE_BATCH));
            List<ObjectIdentifier> ids = batch.stream()
                    .map(k -> ObjectIdentifier.builder().key(objectKey(k)).build())
                    .toList();
            DeleteObjectsResponse response = call(
                    "delete",
                    batch.getFirst(),
                    () -> s3.deleteObjects(b -> b.bucket(bucket)
                            .delete(Delete.builder().objects(ids).quiet(true).build())));
            if (response.hasErrors() && !response.errors().isEmpty()) {
                S3Error error = response.errors().getFirst();
                throw new XenonException(
                        ErrorCode.UNAVAILABLE,
                        "delete of " + response.errors().size() + " of " + batch.size() + " objects in bucket "
                                + bucket + " failed, first '" + error.key() + "': " + error.code() + " "
                                + error.message());
            }
        }
    }

    @Override
    public boolean exists(RemoteKey key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(objectKey(key)));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(e))) {
                return false;
            }
            throw translate("exists", key, e);
        } catch (SdkException e) {
            throw translate("exists", key, e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    private String objectKey(RemoteKey key) {
        return prefix + key.value();
    }

    private static void copy(InputStream in, java.nio.channels.FileChannel channel) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
            while (chunk.hasRemaining()) {
                channel.write(chunk);
            }
        }
    }

    private interface Call<T> {
        T run();
    }

    private <T> T call(String operation, RemoteKey key, Call<T> call) {
        try {
            return call.run();
        } catch (SdkException e) {
            throw translate(operation, key, e);
        } catch (UncheckedIOException e) {
            // A download whose stream broke, or a local write that failed.
            throw new XenonException(
                    ErrorCode.UNAVAILABLE, operation + " of '" + key + "' from bucket " + bucket + ": " + e, e);
        }
    }

    private XenonException translate(String operation, RemoteKey key, SdkException e) {
        String what = operation + (key == null ? "" : " of '" + key + "'") + " in bucket " + bucket;
        if (e instanceof S3Exception s3e) {
            int status = s3e.statusCode();
            String code = errorCode(s3e);
            if ("NoSuchBucket".equals(code)) {
                return new XenonException(
                        ErrorCode.UNAVAILABLE, what + ": the bucket does not exist (expected: an existing bucket)", e);
            }
            if (status == 404) {
                return new XenonException(
                        ErrorCode.NOT_FOUND, "remote object: '" + key + "' (expected: an existing object)", e);
            }
            if (status >= 500 || status == 429 || status == 408 || "SlowDown".equals(code)) {
                return new XenonException(ErrorCode.UNAVAILABLE, what + ": " + status + " " + code, e);
            }
            return new XenonException(ErrorCode.INTERNAL, what + ": " + status + " " + code + ": " + e.getMessage(), e);
        }
        if (e instanceof SdkClientException) {
            // Connection refused, timeouts, broken streams: the store is out of reach for now.
            return new XenonException(ErrorCode.UNAVAILABLE, what + ": " + e.getMessage(), e);
        }
        return new XenonException(ErrorCode.INTERNAL, what + ": " + e.getMessage(), e);
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    @Override
    public String toString() {
        return "S3RemoteStorage" + config;
    }
}
