package dev.assetpipeline.gateway.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

class UploadPropertiesTest {

    private final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void uploadUrlsLiveMinutesNotHours() {
        assertThat(validator.validate(properties(Duration.ofMinutes(15)))).isEmpty();
        assertThat(validator.validate(properties(Duration.ofHours(2))))
                .extracting(v -> v.getMessage()).containsExactly(
                        "must be at most 1h: a leaked upload URL should not stay useful for long");
    }

    private static UploadProperties properties(Duration ttl) {
        return new UploadProperties("bucket", "clients/", DataSize.ofMegabytes(1), Set.of("text/plain"), ttl);
    }
}
