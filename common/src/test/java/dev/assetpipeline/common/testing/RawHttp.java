package dev.assetpipeline.common.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 written byte for byte, for requests no well-behaved client sends (a malformed percent
 * escape, an encoded NUL, a header of 20 KB): what an attacker's script can send, the tests send too.
 */
public final class RawHttp {

    public record Reply(int status, String contentType, String body) {
    }

    private RawHttp() {
    }

    /** @param head the request line and headers, without the blank line; Host and Connection are added */
    public static Reply send(int port, String head, byte[] body) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\nHost: localhost:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try {
                in.transferTo(all);
            } catch (IOException e) {
                // the server may close while the rest of a refused body is still being sent
            }
            String reply = all.toString(StandardCharsets.UTF_8);
            int end = reply.indexOf("\r\n\r\n");
            String headers = end < 0 ? reply : reply.substring(0, end);
            String content = end < 0 ? "" : reply.substring(end + 4);
            int status = Integer.parseInt(headers.substring(9, 12));
            String type = headers.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-type:"))
                    .map(l -> l.substring(13).trim()).findFirst().orElse("");
            if (headers.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                content = unchunk(content);
            }
            return new Reply(status, type, content);
        }
    }

    public static Reply get(int port, String target, String... headers) throws IOException {
        return send(port, "GET " + target + " HTTP/1.1" + (headers.length == 0 ? "" : "\r\n" + String.join("\r\n", headers)),
                new byte[0]);
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            body.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
            at = lineEnd + 2 + size + 2;
        }
        return body.toString();
    }
}
