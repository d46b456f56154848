package dev.assetpipeline.worker.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.assetpipeline.common.asset.Sequencer;

class S3EventParserTest {

    @Test
    void readsAnObjectCreatedRecordAsAwsDocumentsIt() {
        S3Notification notification = S3EventParser.parse(fixture("aws-object-created-put.json"));

        assertThat(notification).isInstanceOf(S3Notification.Records.class);
        S3ObjectEvent event = ((S3Notification.Records) notification).events().get(0);
        assertThat(event.type()).isEqualTo(S3EventType.CREATED);
        assertThat(event.eventName()).isEqualTo("ObjectCreated:Put");
        assertThat(event.bucket()).isEqualTo("amzn-s3-demo-bucket");
        assertThat(event.size()).contains(1024L);
        assertThat(event.eTag()).contains("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(event.versionId()).contains("096fKKXTRTtl3on89fVO.nfljtsv6qko");
        assertThat(event.sequencer()).contains(Sequencer.parse("0055AED6DCD90281E5"));
        assertThat(event.eventTime()).isEqualTo(Instant.EPOCH);
        assertThat(event.writer()).contains("AIDAJDPLRKLG7UEXAMPLE");
    }

    @Test
    void formDecodesKeysSoPlusIsSpaceAndPercentEscapesAreBytes() {
        S3ObjectEvent event = single(fixture("aws-object-created-put.json"));

        assertThat(event.key()).isEqualTo("uploads/0192f5b2-7c1e-7cc0-8a5e-3f1c2b4d5e6f/my holiday photo+1.jpg");
    }

    @ParameterizedTest
    @CsvSource({
            "a+b.txt, a b.txt",
            "dir%2Ffile.txt, dir/file.txt",
            "dir/file.txt, dir/file.txt",
            "caf%C3%A9.png, café.png",
            "100%25.txt, 100%.txt"})
    void decodesKeysTheWayS3EncodesThem(String encoded, String decoded) {
        assertThat(S3EventParser.decodeKey(encoded)).isEqualTo(decoded);
    }

    @Test
    void readsARemovalWithoutSizeOrETag() {
        S3ObjectEvent event = single(fixture("aws-object-removed-delete.json"));

        assertThat(event.type()).isEqualTo(S3EventType.REMOVED);
        assertThat(event.key()).isEqualTo("a/b.txt");
        assertThat(event.size()).isEmpty();
        assertThat(event.eTag()).isEmpty();
        assertThat(event.eventTime()).isEqualTo(Instant.parse("2026-11-22T10:15:30.123Z"));
    }

    @Test
    void readsAnEventTimeWithoutOffsetAsUtcAsMotoSendsIt() {
        S3ObjectEvent event = single("""
                {"Records":[{"eventName":"ObjectCreated:Put","eventTime":"2026-11-24T07:53:38.212023",
                  "s3":{"bucket":{"name":"assets-local"},"object":{"key":"a.txt","size":57,"eTag":"e"}}}]}""");

        assertThat(event.eventTime()).isEqualTo(Instant.parse("2026-11-24T07:53:38.212023Z"));
    }

    @Test
    void recognisesS3sTestEvent() {
        S3Notification notification = S3EventParser.parse(fixture("aws-test-event.json"));

        assertThat(notification).isEqualTo(new S3Notification.TestEvent("assets"));
    }

    @ParameterizedTest
    @CsvSource({
            "ObjectCreated:Put, CREATED",
            "ObjectCreated:Post, CREATED",
            "ObjectCreated:Copy, CREATED",
            "ObjectCreated:CompleteMultipartUpload, CREATED",
            "ObjectRemoved:Delete, REMOVED",
            "ObjectRemoved:DeleteMarkerCreated, REMOVED",
            "LifecycleExpiration:Delete, REMOVED",
            "LifecycleExpiration:DeleteMarkerCreated, REMOVED",
            "ObjectRestore:Completed, IGNORED",
            "ObjectTagging:Put, IGNORED"})
    void mapsEveryEventNameToWhatItMeansForTheRow(String eventName, S3EventType expected) {
        String body = fixture("aws-object-created-put.json").replace("ObjectCreated:Put", eventName);

        assertThat(single(body).type()).isEqualTo(expected);
    }

    @Test
    void toleratesAnEmulatorThatSendsNoSequencer() {
        String body = fixture("aws-object-created-put.json").replace("\"sequencer\": \"0055AED6DCD90281E5\"",
                "\"sequencer\": null");

        assertThat(single(body).sequencer()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "not json",
            "[]",
            "{}",
            "{\"Records\":[]}",
            "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\"}]}",
            "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"eventTime\":\"yesterday\","
                    + "\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"k\"}}}]}",
            "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"eventTime\":\"2026-01-01T00:00:00Z\","
                    + "\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"k\",\"sequencer\":\"XYZ\"}}}]}",
            "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"eventTime\":\"2026-01-01T00:00:00Z\","
                    + "\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"bad%ZZescape\"}}}]}"})
    void rejectsBodiesThatAreNotS3Events(String body) {
        assertThatThrownBy(() -> S3EventParser.parse(body)).isInstanceOf(MalformedS3Event.class);
    }

    private static S3ObjectEvent single(String body) {
        S3Notification notification = S3EventParser.parse(body);
        assertThat(notification).isInstanceOf(S3Notification.Records.class);
        assertThat(((S3Notification.Records) notification).events()).hasSize(1);
        return ((S3Notification.Records) notification).events().get(0);
    }

    static String fixture(String name) {
        try (InputStream in = S3EventParserTest.class.getResourceAsStream("/s3-events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
