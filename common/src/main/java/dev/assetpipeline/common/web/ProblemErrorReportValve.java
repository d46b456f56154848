package dev.assetpipeline.common.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import tools.jackson.databind.json.JsonMapper;

/**
 * What Tomcat refuses before any servlet runs (an encoded NUL, slash or backslash in the path, a
 * malformed percent-escape, headers or a query over the size limit) would otherwise get Tomcat's HTML
 * error page. This valve, in place of Tomcat's own, writes the same problem+json as the rest of the
 * API, with nothing from the exception in it.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    private static final JsonMapper json = JsonMapper.builder().build();

    public ProblemErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int code = response.getStatus();
        if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return; // not an error, or someone already wrote the answer
        }
        HttpStatus status = HttpStatus.resolve(code);
        ProblemDetail problem = Problems.forStatus(status == null ? HttpStatus.BAD_REQUEST : status);
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(json.writeValueAsString(Problems.members(problem)));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response is committed: nothing more to say
        }
    }
}
