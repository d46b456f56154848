package dev.assetpipeline.gateway.auth;

import java.util.List;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.servlet.HandlerExceptionResolver;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Every API call needs an API key; health probes and the OpenAPI document do not. Stateless: no
 * session, no CSRF (no cookies are ever issued). Refusals go to Spring MVC's exception resolvers, so
 * they leave as problem+json from the same place as every other error of this API (ProblemDetails).
 */
@Configuration
@ConditionalOnWebApplication
class SecurityConfiguration {

    @Bean
    AuthenticationManager authenticationManager(ApiKeyAuthenticationProvider provider) {
        return new ProviderManager(provider);
    }

    /**
     * Spring Security observes every filter of the chain and every authentication and authorization,
     * read by no one. Disabling them by property leaves the observing filter-chain decorator around every
     * filter; this removes it (about a tenth of an upload request's CPU, measured with JFR). HTTP server
     * requests are not observed either (application.yml excludes their auto-configuration).
     */
    @Bean
    SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
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
    SecurityFilterChain api(HttpSecurity http, AuthenticationManager authenticationManager,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors, BrowserProperties browsers)
            throws Exception {
        AuthenticationEntryPoint unauthorized = (request, response, e) -> errors.resolveException(request, response, null, e);
        AccessDeniedHandler forbidden = (request, response, e) -> errors.resolveException(request, response, null, e);
        AuthenticationFilter bearer = new AuthenticationFilter(authenticationManager, SecurityConfiguration::bearer);
        bearer.setSuccessHandler((request, response, authentication) -> { });
        bearer.setFailureHandler(unauthorized::commence);
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .cors(cors -> cors.configurationSource(cors(browsers)))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/v3/api-docs",
                                "/v3/api-docs/**", "/error", "/example/**").permitAll()
                        .requestMatchers("/actuator/**").hasRole("ADMIN")
                        .anyRequest().hasRole("CLIENT"))
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized))
                .addFilterBefore(bearer, BasicAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden))
                .build();
    }

    /**
     * Only the configured origins may call the API from a browser; credentials travel in the
     * Authorization header (no cookies), so credentialed CORS is not needed.
     */
    private static CorsConfigurationSource cors(BrowserProperties browsers) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!browsers.allowedOrigins().isEmpty()) {
            CorsConfiguration api = new CorsConfiguration();
            api.setAllowedOrigins(browsers.allowedOrigins());
            api.setAllowedMethods(List.of("GET", "POST", "DELETE"));
            api.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE));
            api.setExposedHeaders(List.of(HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER));
            api.setMaxAge(3000L);
            source.registerCorsConfiguration("/api/**", api);
        }
        return source;
    }

    private static Authentication bearer(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null; // not ours: Basic, or no credentials at all
        }
        return new ApiKeyAuthenticationProvider.BearerToken(header.substring(7).trim());
    }
}
