package dev.assetpipeline.worker.operators;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The worker serves no API, only its management endpoints. Health probes are open; everything else
 * (metrics, the dead-letter queue's contents and redrive, reconciliation) needs the operator's
 * password over HTTP Basic. The password is configured as a hash
 * ({@code ASSETS_OPERATOR_PASSWORD_HASH}, e.g. {@code {bcrypt}$2a$10$...}); with none configured no
 * one can use those endpoints.
 */
@Configuration
@ConditionalOnWebApplication
class OperatorAccess {

    static final String OPERATOR = "operator";

    @Bean
    SecurityFilterChain management(HttpSecurity http) throws Exception {
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a
                        // /error: where refusals are forwarded to be written as problem+json (common.web)
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll()
                        .anyRequest().hasRole("OPERATOR"))
                .httpBasic(Customizer.withDefaults())
                .build();
    }

    @Bean
    UserDetailsService operators(OperatorProperties properties) {
        String passwordHash = properties.passwordHash();
        if (passwordHash.isBlank()) {
            return new InMemoryUserDetailsManager();
        }
        return new InMemoryUserDetailsManager(User.withUsername(OPERATOR).password(passwordHash)
                .roles("OPERATOR").build());
    }
}
