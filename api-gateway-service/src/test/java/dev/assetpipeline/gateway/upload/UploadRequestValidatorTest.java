package dev.assetpipeline.gateway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

import dev.assetpipeline.gateway.web.InvalidRequest;

class UploadRequestValidatorTest {

    private final UploadRequestValidator.Limits limits = new UploadRequestValidator.Limits(DataSize.ofMegabytes(10),
            Set.of("image/png", "text/plain"));

    @Test
    void acceptsAPlainRequestWithoutChecksum() {
        assertThat(UploadRequestValidator.validate(new UploadRequest("cat.png", "image/png", 1024L, null), limits)).isEmpty();
    }

    @Test
    void acceptsUnicodeAndSpacesInsideFilenames() {
        assertThat(UploadRequestValidator.validate(new UploadRequest("Été 2026 (final).png", "image/png", 1L, null), limits)).isEmpty();
    }

    @Test
    void turnsAHexChecksumIntoTheBase64ThatS3Wants() {
        String hexOfEmpty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

        assertThat(UploadRequestValidator.validate(new UploadRequest("a.txt", "text/plain", 1L, hexOfEmpty), limits))
                .contains("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    }

    @Test
    void keepsABase64Checksum() {
        assertThat(UploadRequestValidator.validate(new UploadRequest("a.txt", "text/plain", 1L,
                "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="), limits)).contains("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "../x", "a/b", "a\\b", ".", "..", ".hidden", "bad\nname", "tab\tname",
            "nul\u0000", " leading.txt", "trailing.txt ", "nbsp.txt\u00a0", "\u3000ideographic.txt"})
    void rejectsPathLikeOrControlCharacterFilenames(String filename) {
        assertThat(violationFields(new UploadRequest(filename, "image/png", 1L, null))).containsExactly("filename");
    }

    @Test
    void countsFilenameLengthInCharactersNotUtf16Units() {
        String astral = "\uD83D\uDE00".repeat(UploadRequestValidator.MAX_FILENAME_LENGTH);

        assertThat(UploadRequestValidator.validate(new UploadRequest(astral, "image/png", 1L, null), limits)).isEmpty();
    }

    @Test
    void rejectsOverlongFilenames() {
        String name = "a".repeat(UploadRequestValidator.MAX_FILENAME_LENGTH + 1);

        assertThat(violationFields(new UploadRequest(name, "image/png", 1L, null))).containsExactly("filename");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 10 * 1024 * 1024 + 1})
    void rejectsZeroNegativeAndOversizedSizes(long size) {
        assertThat(violationFields(new UploadRequest("a.png", "image/png", size, null))).containsExactly("size");
    }

    @Test
    void requiresASize() {
        assertThat(violationFields(new UploadRequest("a.png", "image/png", null, null))).containsExactly("size");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-sh", "image/PNG", "", "image/png; charset=utf-8"})
    void rejectsContentTypesNotConfigured(String type) {
        assertThat(violationFields(new UploadRequest("a.png", type, 1L, null))).containsExactly("contentType");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",
            "zzb0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "not base64 at all ================="})
    void rejectsMalformedChecksums(String sha256) {
        assertThat(violationFields(new UploadRequest("a.png", "image/png", 1L, sha256))).containsExactly("sha256");
    }

    @Test
    void namesEveryProblemAtOnce() {
        assertThat(violationFields(new UploadRequest("../x", "text/html", -5L, "x")))
                .containsExactly("filename", "size", "contentType", "sha256");
    }

    private java.util.List<String> violationFields(UploadRequest request) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> UploadRequestValidator.validate(request, limits));
        assertThat(thrown).isInstanceOf(InvalidRequest.class);
        return ((InvalidRequest) thrown).violations().stream().map(InvalidRequest.Violation::field).toList();
    }

    @Test
    void violationMessageSaysWhatIsWrong() {
        assertThatThrownBy(() -> UploadRequestValidator.validate(new UploadRequest("a.png", "image/png", 0L, null), limits))
                .hasMessageContaining("size must be at least 1 byte");
    }
}
