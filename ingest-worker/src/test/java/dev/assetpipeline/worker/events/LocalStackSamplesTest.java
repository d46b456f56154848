package dev.assetpipeline.worker.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Parses the unedited bodies LocalStack 4.14.0 put on the queue (localstack/samples, recorded from the
 * emulator), so the parser is held to what the emulator really sends, not to what we expect it sends.
 */
class LocalStackSamplesTest {

    private static final Path SAMPLES = Path.of("..", "localstack", "samples");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "object-created-put.json, ObjectCreated:Put, CREATED, dir/my file.txt",
            "object-created-post.json, ObjectCreated:Post, CREATED, dir/posted file.txt",
            "object-created-copy.json, ObjectCreated:Copy, CREATED, dir/copy of file.txt",
            "object-created-complete-multipart-upload.json, ObjectCreated:CompleteMultipartUpload, CREATED, dir/multi part.bin",
            "object-removed-delete.json, ObjectRemoved:Delete, REMOVED, dir/my file.txt",
            "object-removed-delete-marker-created.json, ObjectRemoved:DeleteMarkerCreated, REMOVED, dir/my file.txt"})
    void readsEveryEventTypeTheEmulatorSends(String file, String eventName, S3EventType type,
            String key)
            throws IOException {
        S3Notification notification = S3EventParser.parse(Files.readString(SAMPLES.resolve(file)));

        assertThat(notification).isInstanceOf(S3Notification.Records.class);
        S3ObjectEvent event = ((S3Notification.Records) notification).events().get(0);
        assertThat(event.eventName()).isEqualTo(eventName);
        assertThat(event.type()).isEqualTo(type);
        assertThat(event.bucket()).isNotBlank();
        assertThat(event.key()).isEqualTo(key);
        if (type == S3EventType.CREATED) {
            assertThat(event.size()).isPresent();
        }
    }

    @ParameterizedTest
    @CsvSource("test-event.json")
    void readsTheEmulatorsTestEvent(String file) throws IOException {
        assertThat(S3EventParser.parse(Files.readString(SAMPLES.resolve(file))))
                .isInstanceOf(S3Notification.TestEvent.class);
    }
}
