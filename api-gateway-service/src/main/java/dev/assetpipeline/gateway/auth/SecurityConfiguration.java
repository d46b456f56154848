package dev.assetpipeline.gateway.auth;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.StrictHttpFirewall;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every API call needs an API key; health probes and the OpenAPI document do not. Stateless: no
 * session, no CSRF (no cookies are ever issued). Failures answer with problem+json like every other
 * error of this API.
 */
@Configuration
@ConditionalOnWebApplication
class SecurityConfiguration {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Bean
    AuthenticationManager authenticationManager(ApiKeyAuthenticationProvider provider) {
        return new ProviderManager(provider);
    }

    /**
     * Spring Security's firewall answers 400 to HTTP methods it does not list (QUERY, say); let them
     * through so Spring MVC answers 405 Method Not Allowed with the methods that are.
     */
    @Bean
    WebSecurityCustomizer anyMethodReachesSpringMvc() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setUnsafeAllowAnyHttpMethod(true);
        return web -> web.httpFirewall(firewall);
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, AuthenticationManager authenticationManager) throws Exception {
        AuthenticationEntryPoint unauthorized = SecurityConfiguration::unauthorized;
        AuthenticationFilter bearer = new AuthenticationFilter(authenticationManager, SecurityConfiguration::bearer);
        bearer.setSuccessHandler((request, response, authentication) -> { });
        bearer.setFailureHandler((request, response, e) -> unauthorized(request, response, e));
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/v3/api-docs",
                                "/v3/api-docs/**", "/error").permitAll()
                        .requestMatchers("/actuator/**").hasRole("ADMIN")
                        .anyRequest().hasRole("CLIENT"))
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized))
                .addFilterBefore(bearer, BasicAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden()))
                .build();
    }

    private static org.springframework.security.core.Authentication bearer(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null; // not ours: Basic, or no credentials at all
        }
        return new ApiKeyAuthenticationProvider.BearerToken(header.substring(7).trim());
    }

    private static void unauthorized(HttpServletRequest request, HttpServletResponse response,
            org.springframework.security.core.AuthenticationException e) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"assets\", Bearer realm=\"assets\"");
        write(response, HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                "Send an API key: HTTP Basic client-id:secret, or Authorization: Bearer <secret>.",
                request.getRequestURI());
    }

    private static AccessDeniedHandler forbidden() {
        return (request, response, e) -> write(response, HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                "This API key may not do that.", request.getRequestURI());
    }

    private static void write(HttpServletResponse response, HttpStatus status, String type, String title,
            String detail, String instance) throws IOException {
        // the same members ProblemDetail has when Spring MVC writes it
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://assetpipeline.dev/problems/" + type);
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", instance);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(), problem);
    }
}
