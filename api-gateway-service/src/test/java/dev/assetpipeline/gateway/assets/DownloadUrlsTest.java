package dev.assetpipeline.gateway.assets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DownloadUrlsTest {

    @Test
    void contentDispositionKeepsAsciiNamesAsTheyAre() {
        assertThat(DownloadUrls.attachment("report.pdf"))
                .isEqualTo("attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
    }

    @Test
    void contentDispositionCannotBeBrokenOutOfByQuotes() {
        assertThat(DownloadUrls.attachment("a\"; filename=evil.exe"))
                .startsWith("attachment; filename=\"a_; filename=evil.exe\"; filename*=UTF-8''a%22%3B%20");
    }

    @Test
    void contentDispositionCarriesUnicodeNamesInFilenameStar() {
        assertThat(DownloadUrls.attachment("Été 1.png"))
                .isEqualTo("attachment; filename=\"_t_ 1.png\"; filename*=UTF-8''%C3%89t%C3%A9%201.png");
    }
}
