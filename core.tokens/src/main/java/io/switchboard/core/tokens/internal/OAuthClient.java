package io.switchboard.core.tokens.internal;

import io.switchboard.core.api.connector.AuthSpec;
import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.ConnectorSettings;
import io.switchboard.core.api.connector.TokenSet;
import io.switchboard.core.api.connector.Upstream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Token-endpoint requests (code redemption, password grant, refresh) in the encoding the
 * connector declares, and their outcome: tokens, a definitive OAuth error, or a transient failure.
 * Nothing here logs a parameter value.
 */
final class OAuthClient {

    /** The provider refused the grant with an OAuth error ({@code invalid_grant}, {@code invalid_client}, ...). */
    static final class GrantRefused extends Exception {
        final String error;
        final int status;

        GrantRefused(String error, int status) {
            super("token endpoint answered " + status + " " + error, null, false, false);
            this.error = error;
            this.status = status;
        }

        /** Whether the user must link again: the grant itself is dead. */
        boolean reauth() {
            return "invalid_grant".equals(error);
        }
    }

    /** The provider could not answer now (5xx, 429, network, garbage): try again later. */
    static final class Unavailable extends Exception {
        final int status;
        final Duration retryAfter;

        Unavailable(String message, int status, Duration retryAfter) {
            super(message, null, false, false);
            this.status = status;
            this.retryAfter = retryAfter;
        }
    }

    private final Upstream upstream;

    OAuthClient(Upstream upstream) {
        this.upstream = upstream;
    }

    TokenSet request(Connector connector, ConnectorSettings settings, String tokenUrl, Map<String, String> grant,
                     String instanceUrl, Instant now) throws GrantRefused, Unavailable {
        AuthSpec spec = connector.auth();
        Map<String, String> params = new LinkedHashMap<>(grant);
        spec.extraTokenParameters().forEach((k, v) -> params.put(k, Endpoints.fill(v, spec, settings, instanceUrl)));
        Map<String, String> headers = new LinkedHashMap<>();
        String body;
        switch (spec.tokenRequest()) {
            case JSON_CLIENT_IN_BODY -> {
                params.put("client_id", settings.clientId());
                params.put("client_secret", settings.clientSecret());
                headers.put("Content-Type", "application/json");
                try {
                    body = UpstreamClient.JSON.writeValueAsString(params);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            case FORM_CLIENT_BASIC -> {
                headers.put("Content-Type", "application/x-www-form-urlencoded");
                headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (enc(settings.clientId()) + ":" + enc(settings.clientSecret())).getBytes(StandardCharsets.UTF_8)));
                body = form(params);
            }
            default -> {
                params.put("client_id", settings.clientId());
                if (!settings.clientSecret().isEmpty()) {
                    params.put("client_secret", settings.clientSecret());
                }
                headers.put("Content-Type", "application/x-www-form-urlencoded");
                body = form(params);
            }
        }
        Upstream.Response response;
        try {
            response = upstream.send(new Upstream.Request("POST", tokenUrl, headers, body));
        } catch (IOException e) {
            throw new Unavailable("token endpoint unreachable: " + e.getClass().getSimpleName(), 0, null);
        }
        int status = response.status();
        if (status == 429 || status >= 500) {
            throw new Unavailable("token endpoint answered " + status, status, retryAfter(response));
        }
        Map<String, Object> json;
        try {
            json = upstream.parseObject(response.body());
        } catch (IOException | RuntimeException e) {
            throw new Unavailable("token endpoint answered " + status + " without a JSON object", status, null);
        }
        if (status != 200 || json.get("error") != null) {
            Object error = json.get("error");
            throw new GrantRefused(error instanceof String s ? s : "http_" + status, status);
        }
        try {
            return connector.readTokens(json, settings, now);
        } catch (IOException | RuntimeException e) {
            throw new Unavailable("token response not acceptable: " + e.getMessage(), status, null);
        }
    }

    static Duration retryAfter(Upstream.Response response) {
        List<String> values = response.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("Retry-After")).findFirst().map(Map.Entry::getValue).orElse(List.of());
        if (!values.isEmpty() && values.get(0).trim().matches("\\d{1,6}")) {
            return Duration.ofSeconds(Long.parseLong(values.get(0).trim()));
        }
        return null;
    }

    static String form(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        return sb.toString();
    }

    static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
