package io.xenondb.storagenode.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("storage-node")
class RemoteStorageConfigTest {
    @Test
    void localPath() {
        RemoteStorageConfig config = RemoteStorageConfig.parse("{local_path='/tmp/remote'}");
        assertThat(config).isEqualTo(new RemoteStorageConfig.LocalFs(Path.of("/tmp/remote")));
        assertThat(config.toString()).isEqualTo("{local_path='/tmp/remote'}");
        assertThat(RemoteStorageConfig.parse(" { local_path = \"/tmp/re\\\"mote\" } "))
                .isEqualTo(new RemoteStorageConfig.LocalFs(Path.of("/tmp/re\"mote")));
    }

    @Test
    void s3WithDefaults() {
        RemoteStorageConfig.S3 config = (RemoteStorageConfig.S3)
                RemoteStorageConfig.parse(
                        "{bucket_name='b', bucket_region='us-east-1', prefix_in_bucket='p/q/', endpoint='http://127.0.0.1:9090'}");
        assertThat(config.bucketName()).isEqualTo("b");
        assertThat(config.bucketRegion()).isEqualTo("us-east-1");
        assertThat(config.prefixInBucket()).isEqualTo("p/q");
        assertThat(config.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9090"));
        assertThat(config.credentials()).isNull();
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.maxAttempts()).isEqualTo(3);
        assertThat(config.concurrencyLimit()).isEqualTo(100);
        assertThat(config.maxKeysPerListResponse()).isZero();
    }

    @Test
    void s3ExplicitAndToStringIsTheInverse() {
        String text = "{bucket_name='b', bucket_region='eu-west-1', prefix_in_bucket='pageserver',"
                + " endpoint='https://s3.example:8443', timeout='1500ms', max_attempts=5, concurrency_limit=7,"
                + " max_keys_per_list_response=50}";
        RemoteStorageConfig config = RemoteStorageConfig.parse(text);
        assertThat(config.toString()).isEqualTo(text);
        assertThat(RemoteStorageConfig.parse(config.toString())).isEqualTo(config);
        assertThat(((RemoteStorageConfig.S3) config).timeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void secretKeyIsMaskedInText() {
        RemoteStorageConfig config = RemoteStorageConfig.parse(
                "{bucket_name='b', bucket_region='r', access_key_id='AK', secret_access_key='very-secret'}");
        assertThat(((RemoteStorageConfig.S3) config).credentials().secretAccessKey())
                .isEqualTo("very-secret");
        assertThat(config.toString()).contains("access_key_id='AK'").doesNotContain("very-secret");
    }

    @Test
    void badTextNamesTheField() {
        assertInvalid("{bucket_name='b'}", "remote_storage.bucket_region: missing");
        assertInvalid("{bucket_name='b', bucket_region='r', colour='red'}", "remote_storage.colour: unknown field");
        assertInvalid("{local_path='/x', bucket_name='b'}", "both local_path and bucket_name");
        assertInvalid("{}", "neither local_path nor bucket_name");
        assertInvalid("{local_path='/x', endpoint='http://h'}", "remote_storage.endpoint: not a field");
        assertInvalid("{bucket_name='b', bucket_region='r', endpoint='ftp://h'}", "remote_storage.endpoint: 'ftp://h'");
        assertInvalid("{bucket_name='b', bucket_region='r', timeout='soon'}", "remote_storage.timeout: 'soon'");
        assertInvalid("{bucket_name='b', bucket_region='r', max_attempts=0}", "remote_storage.max_attempts: '0'");
        assertInvalid("{bucket_name='b', bucket_region='r', max_attempts='3'}", "remote_storage.max_attempts: '3'");
        assertInvalid("{bucket_name=1, bucket_region='r'}", "remote_storage.bucket_name: '1'");
        assertInvalid("{bucket_name='b', bucket_region='r', access_key_id='a'}", "only one given");
        assertInvalid("{bucket_name='b', bucket_region='r', prefix_in_bucket='a/../b'}", "remote key: 'a/../b'");
        assertInvalid("{local_path='/x', local_path='/y'}", "given twice");
        assertInvalid("local_path='/x'", "expected: '{'");
        assertInvalid("{local_path='/x'", "the end of the text");
        assertInvalid("{local_path='/x} ", "unterminated string");
        assertInvalid("{local_path='/x'} trailing", "text after the closing");
        assertInvalid("{local_path=/x}", "'/x' as the value of 'local_path'");
        assertInvalid("{local_path='/x' bucket_name='b'}", "after the value of 'local_path'");
        assertInvalid(null, "remote_storage: null");
    }

    @Test
    void parseErrorsDoNotEchoSecrets() {
        assertThatThrownBy(() -> RemoteStorageConfig.parse(
                        "{bucket_name='b', bucket_region='r', secret_access_key='hunter2', oops}"))
                .isInstanceOf(XenonException.class)
                .message()
                .doesNotContain("hunter2");
    }

    private static void assertInvalid(String text, String message) {
        assertThatThrownBy(() -> RemoteStorageConfig.parse(text))
                .as(text)
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining(message);
    }
}
