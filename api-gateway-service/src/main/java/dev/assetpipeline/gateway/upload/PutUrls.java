package dev.assetpipeline.gateway.upload;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Presigns the PUT URL of a single upload. The SDK's presigner runs its whole request pipeline for every
 * URL (endpoint rules, auth-scheme resolution, marshalling, interceptors): 26 % of the API's Java
 * samples on the upload path under load (JFR), of which the signature itself was the smaller part. The
 * bucket is always the configured one, so its endpoint and signing scope are taken once, from a URL the
 * presigner signs at start-up (whatever the configuration: endpoint override, path style, region), and
 * each URL is then only signed, by the SDK's own SigV4 signer with S3's options (no double encoding or
 * path normalisation, unsigned payload), over the key encoded as the SDK encodes it. {@code PutUrlsTest}
 * checks that both give the same URL; the integration tests PUT through it to the emulator, which
 * validates signatures.
 */
@Component
class PutUrls {

    /** A signed URL and the headers its PUT must send (all it signed but Host). */
    record Signed(String url, Map<String, String> headers, Instant expiresAt) {
    }

    private static final String PROBE_KEY = "probe";

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final AwsCredentialsProvider credentials;
    /** scheme://host[:port], and the path before the key ("/bucket" in path style, empty otherwise) */
    private final URI bucket;
    private final String origin;
    private final Integer port;
    private final String region;
    private final String service;

    PutUrls(S3Presigner presigner, AwsCredentialsProvider credentials, UploadProperties properties) {
        this.credentials = credentials;
        URI probe = URI.create(presigner.presignPutObject(put -> put.signatureDuration(Duration.ofMinutes(1))
                .putObjectRequest(PutObjectRequest.builder().bucket(properties.bucket()).key(PROBE_KEY).build()))
                .url().toString());
        String path = probe.getRawPath();
        if (!path.endsWith("/" + PROBE_KEY)) {
            throw new IllegalStateException("cannot take the bucket's endpoint from the presigned " + probe);
        }
        this.origin = probe.getScheme() + "://" + probe.getRawAuthority();
        this.bucket = URI.create(origin + path.substring(0, path.length() - PROBE_KEY.length() - 1));
        this.port = bucket.getPort() < 0 ? null : bucket.getPort();
        // X-Amz-Credential is <access key>/<date>/<region>/<service>/aws4_request
        String[] scope = SdkHttpUtils.uriParams(probe).get("X-Amz-Credential").get(0).split("/");
        this.region = scope[scope.length - 3];
        this.service = scope[scope.length - 2];
    }

    /** The URL to PUT the object at, valid for {@code ttl}, signed for exactly this type, size and checksum. */
    Signed sign(String bucketKey, String contentType, long size, Optional<String> sha256, Duration ttl) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Content-Type", contentType);
        headers.put("Content-Length", Long.toString(size));
        sha256.ifPresent(checksum -> headers.put("x-amz-checksum-sha256", checksum));
        // the URL from its parts, parsed once: URI's parser was a fifth of the signing's cost
        String path = bucket.getRawPath() + "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(bucketKey);
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.PUT)
                .protocol(bucket.getScheme()).host(bucket.getHost()).port(port).encodedPath(path);
        headers.forEach(request::putHeader);
        Instant now = Instant.now();
        SdkHttpRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials()).request(request.build())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, ttl)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC))).request();
        String url = origin + path + "?"
                + SdkHttpUtils.encodeAndFlattenQueryParameters(signed.rawQueryParameters()).orElseThrow();
        return new Signed(url, headers, now.plus(ttl));
    }
}
