package dev.assetpipeline.gateway.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.util.unit.DataSize;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/** PutUrls signs exactly what the SDK's presigner signs, locally and in AWS's addressing. */
class PutUrlsTest {

    private static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG"));
    private static final Duration TTL = Duration.ofMinutes(15);

    static Iterable<Arguments> presigners() {
        S3Presigner local = S3Presigner.builder().region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .endpointOverride(URI.create("http://127.0.0.1:4566"))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
        S3Presigner aws = S3Presigner.builder().region(Region.EU_WEST_1).credentialsProvider(CREDENTIALS).build();
        Optional<String> sha256 = Optional.of("n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=");
        return List.of(
                Arguments.of("path style, emulator", local, "clients/c-1/0193/photo.png", Optional.empty()),
                Arguments.of("virtual host, AWS", aws, "clients/c-1/0193/photo.png", Optional.empty()),
                Arguments.of("with a SHA-256", aws, "clients/c-1/0193/report.pdf", sha256),
                Arguments.of("a key that needs encoding", local,
                        "clients/c 1/0193/a+b=c~d!e'(f)*g;h,i&j@k$l%m#n?ö€😀.txt", sha256));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presigners")
    void signsTheSameUrlAndHeadersAsTheSdk(String name, S3Presigner presigner, String key, Optional<String> sha256) {
        PutUrls urls = new PutUrls(presigner, CREDENTIALS, new UploadProperties("assets-bucket", "clients/",
                DataSize.ofMegabytes(100), Set.of("image/png"), TTL));
        // both read the clock: the URLs are equal only when signed within the same second, so try again
        PutUrls.Signed ours = null;
        PresignedPutObjectRequest sdk = null;
        for (int attempt = 0; attempt < 5 && (ours == null || !date(ours.url()).equals(date(sdk.url().toString())));
                attempt++) {
            sdk = presigner.presignPutObject(put -> put.signatureDuration(TTL).putObjectRequest(PutObjectRequest
                    .builder().bucket("assets-bucket").key(key).contentType("image/png").contentLength(1024L)
                    .checksumSHA256(sha256.orElse(null)).build()));
            ours = urls.sign(key, "image/png", 1024, sha256, TTL);
        }

        assertThat(ours.url()).isEqualTo(sdk.url().toString());
        Map<String, String> sdkHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        sdk.signedHeaders().forEach((header, values) -> sdkHeaders.put(header, String.join(",", values)));
        sdkHeaders.remove("host");
        assertThat(ours.headers()).containsExactlyInAnyOrderEntriesOf(sdkHeaders);
        assertThat(ours.expiresAt()).isBetween(sdk.expiration().minusSeconds(1), sdk.expiration().plusSeconds(1));
    }

    private static String date(Object url) {
        String query = url.toString();
        int at = query.indexOf("X-Amz-Date=");
        return query.substring(at, at + "X-Amz-Date=yyyyMMddTHHmmssZ".length());
    }
}
