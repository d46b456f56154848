package dev.assetpipeline.gateway.assets;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.springframework.stereotype.Component;

import dev.assetpipeline.common.asset.Asset;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

@Component
class DownloadUrls {

    private final S3Presigner presigner;
    private final ReadProperties properties;
    private final Counter issued;

    DownloadUrls(S3Presigner presigner, ReadProperties properties, MeterRegistry meters) {
        this.presigner = presigner;
        this.properties = properties;
        this.issued = meters.counter("assets.urls.issued", "kind", "download");
    }

    DownloadUrl sign(Asset asset) {
        GetObjectRequest.Builder get = GetObjectRequest.builder().bucket(asset.bucket()).key(asset.objectKey());
        if (asset.filename() != null) {
            get.responseContentDisposition(attachment(asset.filename()));
        }
        PresignedGetObjectRequest signed = presigner.presignGetObject(GetObjectPresignRequest.builder()
                .signatureDuration(properties.downloadUrlTtl())
                .getObjectRequest(get.build())
                .build());
        issued.increment();
        return new DownloadUrl("GET", signed.url().toString(), signed.expiration());
    }

    /**
     * RFC 6266: an ASCII fallback with quotes and backslashes replaced, and the exact name in
     * {@code filename*}, so browsers save the original name and nothing can break out of the header.
     */
    static String attachment(String filename) {
        String ascii = filename.replaceAll("[^\\x20-\\x7E]", "_").replace('"', '_').replace('\\', '_');
        String encoded = URLEncoder.encode(filename, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
