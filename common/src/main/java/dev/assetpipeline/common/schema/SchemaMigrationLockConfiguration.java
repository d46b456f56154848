package dev.assetpipeline.common.schema;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import liquibase.integration.spring.SpringLiquibase;

/** Both services run Liquibase as they start; this makes any number of them safe to start together. */
@AutoConfiguration
@ConditionalOnClass(SpringLiquibase.class)
public class SchemaMigrationLockConfiguration {

    /** static: a BeanPostProcessor must exist before the beans it processes, including Liquibase's. */
    @Bean
    static SchemaMigrationLock schemaMigrationLock() {
        return new SchemaMigrationLock();
    }
}
