package dev.assetpipeline.gateway.web;

import java.io.IOException;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * Sends an answer that fits Tomcat's buffer (8 KiB: every answer of this API but a long list page) whole,
 * with its Content-Length, in one write. Spring's JSON converter flushes the stream once it has written
 * the body, and its ResponseEntity handler flushes the response, either of which commits it before
 * Tomcat knows the length: the answer went out chunked, its head and body in one write and the closing
 * chunk in another. Here both flushes are left to the end of the request, when Tomcat sends what it holds
 * with its length; a larger body still goes out in chunks as the buffer fills. Nothing here streams (no
 * server-sent events; {@code /wait} answers once), so no answer waits for a flush it needs: an endpoint
 * that streams would have to be left out of this filter.
 */
@Configuration(proxyBeanMethods = false)
class WholeAnswers {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> wholeAnswersFilter() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new Filter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    private static final class Filter extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            chain.doFilter(request, new Unflushed(response));
        }
    }

    /** A response that ignores flushes, its body stream's and its own; the container flushes at the end. */
    private static final class Unflushed extends HttpServletResponseWrapper {

        private ServletOutputStream body;

        Unflushed(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void flushBuffer() {
            // Spring flushes a ResponseEntity's answer to commit its headers; the end of the request does
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (body == null) {
                ServletOutputStream out = super.getOutputStream();
                body = new ServletOutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        out.write(b);
                    }

                    @Override
                    public void write(byte[] bytes, int offset, int length) throws IOException {
                        out.write(bytes, offset, length);
                    }

                    @Override
                    public void flush() {
                        // left to the end of the request (see the class comment)
                    }

                    @Override
                    public void close() throws IOException {
                        out.close();
                    }

                    @Override
                    public boolean isReady() {
                        return out.isReady();
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        out.setWriteListener(listener);
                    }
                };
            }
            return body;
        }
    }
}
