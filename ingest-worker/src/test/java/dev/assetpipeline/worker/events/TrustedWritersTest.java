package dev.assetpipeline.worker.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrustedWritersTest {

    private final TrustedWriters writers = new TrustedWriters(Set.of("AROAAPIROLE", "AIDAAPIUSER"));

    @ParameterizedTest(name = "{0} by {1}: presigned and trusted = {2}")
    @CsvSource({
            "ObjectCreated:Put, AWS:AROAAPIROLE:4f2a9c, true",
            "ObjectCreated:Put, AROAAPIROLE:4f2a9c, true",
            "ObjectCreated:Put, AWS:AIDAAPIUSER, true",
            "ObjectCreated:Put, AIDAAPIUSER, true",
            // another principal, and ids that merely start like a trusted one
            "ObjectCreated:Put, AWS:AROAOTHERROLE:4f2a9c, false",
            "ObjectCreated:Put, AWS:AROAAPIROLEX:4f2a9c, false",
            "ObjectCreated:Put, AWS:AROAAPIROL:4f2a9c, false",
            "ObjectCreated:Put, A3NL1KOZZKExample, false",
            "ObjectCreated:Put, '', false",
            // the trusted role, but not through a presigned PUT: S3 checked no signed headers
            "ObjectCreated:CompleteMultipartUpload, AWS:AROAAPIROLE:4f2a9c, false",
            "ObjectCreated:Copy, AWS:AROAAPIROLE:4f2a9c, false",
            "ObjectCreated:Post, AWS:AROAAPIROLE:4f2a9c, false",
    })
    void trustsOnlyAPresignedPutOfAConfiguredWriter(String eventName, String writer, boolean trusted) {
        assertThat(writers.wrotePresigned(event(eventName, Optional.of(writer).filter(w -> !w.isEmpty()))))
                .isEqualTo(trusted);
    }

    @ParameterizedTest
    @CsvSource({"AWS:AROAAPIROLE:4f2a9c", "AIDAJDPLRKLG7UEXAMPLE"})
    void trustsNoOneByDefault(String writer) {
        assertThat(new TrustedWriters(Set.of()).wrotePresigned(event("ObjectCreated:Put", Optional.of(writer))))
                .isFalse();
    }

    private static S3ObjectEvent event(String eventName, Optional<String> writer) {
        return new S3ObjectEvent(eventName, S3EventType.fromEventName(eventName), "bucket", "key", Optional.of(4L),
                Optional.of("etag"), Optional.empty(), Optional.empty(), Instant.now(), writer);
    }
}
