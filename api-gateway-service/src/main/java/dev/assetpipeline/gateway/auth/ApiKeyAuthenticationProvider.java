package dev.assetpipeline.gateway.auth;

import java.util.List;
import java.util.Optional;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * One check for both ways of presenting a key: HTTP Basic {@code client-id:secret}, as curl users
 * expect, and {@code Authorization: Bearer <secret>}.
 */
@Component
class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    private final ApiKeyAuthenticator authenticator;

    ApiKeyAuthenticationProvider(ApiKeyAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    /** A Bearer token before it is checked. */
    static final class BearerToken extends AbstractAuthenticationToken {

        private final String secret;

        BearerToken(String secret) {
            super(List.of());
            this.secret = secret;
        }

        @Override
        public Object getCredentials() {
            return secret;
        }

        @Override
        public Object getPrincipal() {
            return null;
        }
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        Optional<Caller> caller = authentication instanceof BearerToken bearer
                ? authenticator.authenticate(Optional.empty(), (String) bearer.getCredentials())
                : authenticator.authenticate(Optional.of(authentication.getName()),
                        String.valueOf(authentication.getCredentials()));
        Caller known = caller.orElseThrow(() -> new BadCredentialsException("unknown, wrong or revoked API key"));
        List<GrantedAuthority> authorities = known.admin()
                ? List.of(new SimpleGrantedAuthority("ROLE_CLIENT"), new SimpleGrantedAuthority("ROLE_ADMIN"))
                : List.of(new SimpleGrantedAuthority("ROLE_CLIENT"));
        return UsernamePasswordAuthenticationToken.authenticated(known, null, authorities);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerToken.class.isAssignableFrom(authentication)
                || UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
