package dev.assetpipeline.common.testing;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** SDK clients for the emulator, as the tests use them to arrange and to observe. */
public final class AwsClients {

    private AwsClients() {
    }

    public static S3Client s3(TestInfrastructure.Aws aws) {
        return S3Client.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.of(aws.region()))
                .credentialsProvider(credentials(aws))
                .forcePathStyle(true)
                .build();
    }

    public static SqsClient sqs(TestInfrastructure.Aws aws) {
        return SqsClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.of(aws.region()))
                .credentialsProvider(credentials(aws))
                .build();
    }

    public static CloudWatchClient cloudWatch(TestInfrastructure.Aws aws) {
        return CloudWatchClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.of(aws.region()))
                .credentialsProvider(credentials(aws))
                .build();
    }

    private static StaticCredentialsProvider credentials(TestInfrastructure.Aws aws) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKey(), aws.secretKey()));
    }
}
