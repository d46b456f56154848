package dev.assetpipeline.worker.reconcile;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * @param bucket              the bucket to compare with the table; unset: only PENDING rows are checked
 * @param prefix              compare only keys under this prefix
 * @param interval            time between scheduled runs (also runnable on demand)
 * @param pendingGrace        how long after its URL expired a PENDING row is checked
 * @param pageSize            keys per S3 listing page and per table range query
 * @param clockSkewMargin     rows changed this close to the start of a listing are left for the next run,
 *                            so an event committed while the listing ran is never undone
 * @param multipartMaxAge     incomplete multipart uploads older than this are aborted
 */
@Validated
@ConfigurationProperties("assets.reconcile")
record ReconcileProperties(
        String bucket,
        @NotNull @DefaultValue("") String prefix,
        @DefaultValue("true") boolean enabled,
        @NotNull @DefaultValue("15m") Duration interval,
        @NotNull @DefaultValue("5m") Duration pendingGrace,
        @Min(1) @Max(1000) @DefaultValue("1000") int pageSize,
        @NotNull @DefaultValue("1m") Duration clockSkewMargin,
        @NotNull @DefaultValue("24h") Duration multipartMaxAge) {

    boolean comparesBucket() {
        return bucket != null && !bucket.isBlank();
    }
}
