package dev.assetpipeline.worker.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Delivers the outbox: claims due events (as many as it has free slots), POSTs each on a thread of its
 * own, and records the outcome. It runs beside ingest, never in its way: ingest only writes the outbox
 * row in its own transaction, and a slow or dead receiver holds one of this deliverer's slots, for at most
 * one attempt's time limit. At least once: an event is settled only after the receiver's 2xx was seen;
 * a worker that dies mid-attempt leaves it leased, and it comes due again when the lease ends.
 */
@Component
class WebhookDeliverer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDeliverer.class);
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final WebhookOutbox outbox;
    private final WebhookSender sender;
    private final WebhookMetrics metrics;
    private final WebhookDeliveryProperties properties;
    private final Semaphore slots;
    private volatile ExecutorService attempts;
    private volatile Thread loop;
    private volatile boolean running;

    WebhookDeliverer(WebhookOutbox outbox, WebhookSender sender, WebhookMetrics metrics,
            WebhookDeliveryProperties properties) {
        this.outbox = outbox;
        this.sender = sender;
        this.metrics = metrics;
        this.properties = properties;
        this.slots = new Semaphore(properties.concurrency());
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            log.info("Webhook delivery is off on this worker (assets.webhooks.delivery.enabled=false)");
            return;
        }
        // threads only while attempts run: none when idle, at most one per slot
        attempts = new ThreadPoolExecutor(0, properties.concurrency(), 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new CustomizableThreadFactory("webhook-attempt-"));
        running = true;
        loop = new Thread(this::run, "webhook-deliverer");
        loop.setDaemon(true);
        loop.start();
    }

    private void run() {
        Instant nextPrune = Instant.now();
        while (running) {
            try {
                if (Instant.now().isAfter(nextPrune)) {
                    int pruned = outbox.prune(properties.retention());
                    log.debug("Dropped {} settled webhook events older than {}", pruned, properties.retention());
                    nextPrune = Instant.now().plus(PRUNE_EVERY);
                }
                int free = slots.availablePermits();
                List<WebhookOutbox.Due> due = free == 0 ? List.of() : outbox.claim(free, properties.lease());
                for (WebhookOutbox.Due event : due) {
                    slots.acquire();
                    attempts.execute(() -> {
                        try {
                            attempt(event);
                        } finally {
                            slots.release();
                        }
                    });
                }
                if (due.size() < free || free == 0) {
                    Thread.sleep(properties.pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // the database is away: the events stay in the outbox; look again shortly
                log.warn("Could not read the webhook outbox: {}", e.getMessage());
                sleepQuietly(Duration.ofSeconds(1));
            }
        }
    }

    private void attempt(WebhookOutbox.Due event) {
        WebhookSender.Result result = sender.send(event.url(), event.eventId(), event.body(), event.secret(),
                event.attempt());
        try {
            if (result.delivered()) {
                outbox.delivered(event, result.statusCode());
                metrics.outcome(WebhookMetrics.Outcome.DELIVERED);
                metrics.lag(Duration.between(event.createdAt(), Instant.now()));
                return;
            }
            Duration retryAfter = jittered(properties.retryAfter(event.attempt()));
            boolean gaveUp = outbox.failed(event, result.statusCode(), result.error(), retryAfter,
                    properties.giveUpAfter());
            metrics.outcome(gaveUp ? WebhookMetrics.Outcome.GAVE_UP : WebhookMetrics.Outcome.FAILED);
            log.info("Webhook event {} attempt {} failed ({}); {}", event.eventId(), event.attempt(), result.error(),
                    gaveUp ? "given up" : "next attempt in " + retryAfter.toMillis() + " ms");
        } catch (RuntimeException e) {
            // the outcome is not recorded: the lease runs out and the event is tried again (at least once)
            log.warn("Could not record webhook event {} attempt {}: {}", event.eventId(), event.attempt(),
                    e.getMessage());
        }
    }

    /** ±20 %, so that receivers coming back are not hit by every failed event at the same moment. */
    private static Duration jittered(Duration delay) {
        return Duration.ofMillis(Math.round(delay.toMillis() * ThreadLocalRandom.current().nextDouble(0.8, 1.2)));
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops claiming and gives the attempts in flight their time limit; any left stay leased, then come due. */
    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        loop.interrupt();
        attempts.shutdown();
        try {
            if (!attempts.awaitTermination(properties.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                attempts.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
