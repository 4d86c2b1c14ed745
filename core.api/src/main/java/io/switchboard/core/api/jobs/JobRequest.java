package io.switchboard.core.api.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A run to schedule: {@code JobRequest.of("crm.sync", accountId).forAccount(accountId).every(Duration.ofMinutes(15))}.
 *
 * @param type the {@link JobType#name()}
 * @param key unique per type while scheduled: scheduling the same type and key again is the same
 *     run (an idempotency key); letters, digits and {@code . _ : @ -} only, at most 200 characters
 * @param app the app it works for, or {@code null}
 * @param account the linked account it works for, or {@code null} (its runs then share the account's pauses)
 * @param data a JSON object (maps, lists, strings, numbers, booleans)
 * @param at when it is due; {@code null}: now (an idle instance starts it at once)
 * @param every for a recurring run: the interval between the end of one run and the next (with up
 *     to a tenth of it as random jitter, so that runs scheduled together spread out); {@code null}: once
 */
public record JobRequest(String type, String key, String app, String account, Map<String, Object> data, Instant at, Duration every) {

    public JobRequest {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        if (!key.matches("[A-Za-z0-9._:@-]{1,200}") || !type.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("a job's type and key use letters, digits and . _ : @ - only");
        }
        data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
        if (every != null && (every.isNegative() || every.isZero())) {
            throw new IllegalArgumentException("every must be positive");
        }
    }

    /** A one-off run of {@code type} with idempotency key {@code key}, due now. */
    public static JobRequest of(String type, String key) {
        return new JobRequest(type, key, null, null, Map.of(), null, null);
    }

    public JobRequest forApp(String id) {
        return new JobRequest(type, key, id, account, data, at, every);
    }

    public JobRequest forAccount(String id) {
        return new JobRequest(type, key, app, id, data, at, every);
    }

    public JobRequest withData(Map<String, Object> value) {
        return new JobRequest(type, key, app, account, value, at, every);
    }

    public JobRequest at(Instant when) {
        return new JobRequest(type, key, app, account, data, when, every);
    }

    public JobRequest every(Duration interval) {
        return new JobRequest(type, key, app, account, data, at, interval);
    }
}
