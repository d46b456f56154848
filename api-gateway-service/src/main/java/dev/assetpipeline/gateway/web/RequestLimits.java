package dev.assetpipeline.gateway.web;

import java.io.IOException;
import java.util.Map;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.assetpipeline.common.web.ProblemResponses;
import dev.assetpipeline.common.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Limits every request before anything else reads it, authentication included:
 * <ul>
 * <li>a body over {@link #MAX_BODY_BYTES} is refused with 413: at once when Content-Length says so,
 * and as soon as a chunked body passes the limit otherwise (see {@link BodyTooLarge});</li>
 * <li>a query parameter given twice is refused with 400: every parameter of this API takes one value,
 * and which of two a server picks is a classic source of confusion between a proxy and the service.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class RequestLimits {

    /** Far above any request of this API (an upload's JSON is a few hundred bytes), far below harm. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> requestLimitsFilter() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new Filter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Thrown from the body's stream once a chunked body passes the limit; answered with 413. */
    static final class BodyTooLarge extends IOException {
        BodyTooLarge() {
            super("request body over " + MAX_BODY_BYTES + " bytes");
        }
    }

    /** The answer to a body over the limit, from the filter or from the exception handler. */
    static ProblemDetail tooLarge() {
        return Problems.of(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Request body too large",
                "The request body must be at most " + MAX_BODY_BYTES + " bytes.");
    }

    private static final class Filter extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request.getContentLengthLong() > MAX_BODY_BYTES) {
                ProblemResponses.write(response, tooLarge());
                return;
            }
            if (request.getQueryString() != null) {
                for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
                    if (parameter.getValue().length > 1) {
                        InvalidRequest invalid = new InvalidRequest(parameter.getKey(), "must be given once");
                        ProblemResponses.write(response, invalid.getBody());
                        return;
                    }
                }
            }
            chain.doFilter(request.getContentLengthLong() < 0 ? new Limited(request) : request, response);
        }
    }

    /** A request whose body has no declared length: its stream stops at the limit. */
    private static final class Limited extends HttpServletRequestWrapper {

        private ServletInputStream limited;

        Limited(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (limited == null) {
                ServletInputStream body = super.getInputStream();
                limited = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = body.read();
                        if (b >= 0 && ++read > MAX_BODY_BYTES) {
                            throw new BodyTooLarge();
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int n = body.read(buffer, offset, length);
                        if (n > 0 && (read += n) > MAX_BODY_BYTES) {
                            throw new BodyTooLarge();
                        }
                        return n;
                    }

                    @Override
                    public boolean isFinished() {
                        return body.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return body.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        body.setReadListener(listener);
                    }
                };
            }
            return limited;
        }
    }
}
