package dev.assetpipeline.worker.operators;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param passwordHash the operator's password as a Spring Security hash ({@code {bcrypt}$2a$10$...},
 *                     {@code ASSETS_OPERATOR_PASSWORD_HASH}); empty: no one may use the operator endpoints
 */
@ConfigurationProperties("assets.operator")
record OperatorProperties(@DefaultValue("") String passwordHash) {
}
