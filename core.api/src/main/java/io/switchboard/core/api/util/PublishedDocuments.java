package io.switchboard.core.api.util;

import io.switchboard.core.api.connector.Upstream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Documents a provider publishes for everyone at a fixed URL (OpenID discovery documents, key
 * sets), fetched and kept parsed. A copy is kept for its {@code Cache-Control: max-age}, clamped
 * to 5 min – 24 h ({@code no-store}/{@code no-cache}: 5 min). A copy that lacks what the caller
 * needs (a key id it does not hold) is refetched at most once per cool-down, however many callers
 * ask, and a failed fetch is not retried within the cool-down either (docs/security.md S2). A
 * failed refetch keeps the earlier copy.
 *
 * @param <T> the parsed document
 */
public final class PublishedDocuments<T> {
    /** Reads a document's text; any exception means the document is not usable. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String body) throws Exception;
    }

    static final Duration MIN_TTL = Duration.ofMinutes(5);
    static final Duration MAX_TTL = Duration.ofHours(24);
    private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");
    private static final int MAX_DOCUMENT_BYTES = 512 * 1024;

    private final Upstream http;
    private final Parser<T> parser;
    private final Duration cooldown;
    private final boolean allowHttp;
    private final Clock clock;
    private final Consumer<String> failures;
    private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();

    /**
     * @param http the calls to make (operator-configured URLs: {@code ProviderCalls.operatorConfigured()})
     * @param allowHttp whether {@code http://} URLs are fetched (tests); otherwise only {@code https://}
     * @param failures told why a fetch failed, with the URL (for the log; never a secret, these documents are public)
     */
    public PublishedDocuments(Upstream http, Parser<T> parser, Duration cooldown, boolean allowHttp, Clock clock,
                              Consumer<String> failures) {
        this.http = http;
        this.parser = parser;
        this.cooldown = cooldown;
        this.allowHttp = allowHttp;
        this.clock = clock;
        this.failures = failures;
    }

    /** Whether {@code url} may be fetched at all: https, or http where allowed. */
    public boolean fetchable(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("https://") || (allowHttp && lower.startsWith("http://"));
    }

    /**
     * The document at {@code url}: the kept copy while it is fresh and {@code sufficient}, else a
     * new fetch if the cool-down allows one.
     *
     * @return empty when no copy could ever be read
     */
    public Optional<T> get(String url, Predicate<T> sufficient) {
        Entry<T> entry = entries.computeIfAbsent(url, u -> new Entry<>());
        synchronized (entry) {
            Instant now = clock.instant();
            boolean stale = entry.document == null || now.isAfter(entry.expires);
            boolean lacking = entry.document != null && !sufficient.test(entry.document);
            boolean mayFetch = entry.lastFetch == null || !now.isBefore(entry.lastFetch.plus(cooldown));
            if ((stale || lacking) && mayFetch) {
                entry.lastFetch = now;
                try {
                    Upstream.Response response = fetch(url);
                    entry.document = parser.parse(response.body());
                    entry.expires = now.plus(ttl(response.headers().getOrDefault("Cache-Control", List.of())));
                } catch (Exception e) {
                    failures.accept(url + ": " + e.getMessage());
                }
            }
            return Optional.ofNullable(entry.document);
        }
    }

    private Upstream.Response fetch(String url) throws IOException {
        if (!fetchable(url)) {
            throw new IOException("only https URLs are fetched");
        }
        Upstream.Response response;
        try {
            response = http.send(new Upstream.Request("GET", url, Map.of("Accept", "application/json"), null));
        } catch (IllegalArgumentException e) {
            throw new IOException("not a valid URL");
        }
        if (response.status() != 200) {
            throw new IOException("the provider answered " + response.status());
        }
        if (response.body().getBytes(StandardCharsets.UTF_8).length > MAX_DOCUMENT_BYTES) {
            throw new IOException("the document is larger than " + MAX_DOCUMENT_BYTES + " bytes");
        }
        return response;
    }

    static Duration ttl(List<String> cacheControl) {
        String value = String.join(",", cacheControl);
        Matcher m = MAX_AGE.matcher(value);
        if (m.find()) {
            long seconds = Long.parseLong(m.group(1).length() > 12 ? "999999999999" : m.group(1));
            return Duration.ofSeconds(Math.max(MIN_TTL.toSeconds(), Math.min(MAX_TTL.toSeconds(), seconds)));
        }
        return value.contains("no-store") || value.contains("no-cache") ? MIN_TTL : MAX_TTL;
    }

    private static final class Entry<T> {
        T document;
        Instant expires;
        Instant lastFetch;
    }
}
