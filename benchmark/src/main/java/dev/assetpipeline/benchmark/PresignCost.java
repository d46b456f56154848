package dev.assetpipeline.benchmark;

import java.net.URI;
import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PutObjectPresignRequest;

/**
 * The SDK presigner's CPU per upload URL, in one thread with nothing else running, with
 * {@code useArnRegionEnabled} left unset (looked up in the AWS profile file per URL) beside it set to
 * {@code false} as the API sets it; rounds interleaved, median and range printed. It bounds what signing
 * by hand could save. Needs no emulator: presigning is local.
 */
public final class PresignCost {

    private static final int ROUNDS = 7;
    private static final int URLS = 20_000;

    private PresignCost() {
    }

    public static void main(String[] args) {
        S3Presigner unset = presigner(S3Configuration.builder().pathStyleAccessEnabled(true));
        S3Presigner explicit = presigner(S3Configuration.builder().pathStyleAccessEnabled(true)
                .useArnRegionEnabled(false));
        for (int r = 0; r < 3; r++) { // warm-up
            microsPerUrl(unset);
            microsPerUrl(explicit);
        }
        double[] unsetCost = new double[ROUNDS];
        double[] explicitCost = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            unsetCost[r] = microsPerUrl(unset);
            explicitCost[r] = microsPerUrl(explicit);
        }
        System.out.println("µs per presigned PUT URL, " + ROUNDS + " interleaved rounds of " + URLS + ": "
                + "useArnRegionEnabled unset " + Table.summary(unsetCost) + ", false " + Table.summary(explicitCost));
    }

    private static S3Presigner presigner(S3Configuration.Builder configuration) {
        return S3Presigner.builder().serviceConfiguration(configuration.build()).region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:4566"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    private static double microsPerUrl(S3Presigner presigner) {
        long start = System.nanoTime();
        int length = 0;
        for (int i = 0; i < URLS; i++) {
            PutObjectRequest put = PutObjectRequest.builder().bucket("assets").key("clients/c/" + i + "/file.bin")
                    .contentType("application/octet-stream").contentLength(1024L).build();
            length += presigner.presignPutObject(PutObjectPresignRequest.builder()
                    .signatureDuration(Duration.ofMinutes(15)).putObjectRequest(put).build()).url().toString().length();
        }
        if (length == 0) {
            throw new IllegalStateException("no URLs");
        }
        return (System.nanoTime() - start) / 1e3 / URLS;
    }
}
