package io.switchboard.core.outbound.internal;

import io.switchboard.core.api.connector.AuthSpec;
import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.ConnectorSettings;
import io.switchboard.core.api.connector.TokenSet;
import io.switchboard.core.api.connector.Upstream;
import io.switchboard.core.outbound.api.GrantRefusedException;
import io.switchboard.core.outbound.api.ProviderUnavailableException;
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
final class TokenRequests {

    private final PlainCalls calls;
    private final Duration timeout;

    TokenRequests(PlainCalls calls, Duration timeout) {
        this.calls = calls;
        this.timeout = timeout;
    }

    TokenSet request(Connector connector, ConnectorSettings settings, String tokenUrl, Map<String, String> grant,
                     String instanceUrl, Instant now) throws GrantRefusedException, ProviderUnavailableException {
        AuthSpec spec = connector.auth();
        Map<String, String> params = new LinkedHashMap<>(grant);
        spec.extraTokenParameters().forEach((k, v) -> params.put(k, spec.fill(v, settings, instanceUrl)));
        Map<String, String> headers = new LinkedHashMap<>();
        String body;
        switch (spec.tokenRequest()) {
            case JSON_CLIENT_IN_BODY -> {
                params.put("client_id", settings.clientId());
                params.put("client_secret", settings.clientSecret());
                headers.put("Content-Type", "application/json");
                try {
                    body = ProviderJson.MAPPER.writeValueAsString(params);
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
            response = calls.send(new Upstream.Request("POST", tokenUrl, headers, body), timeout);
        } catch (IOException e) {
            throw new ProviderUnavailableException("token endpoint unreachable: " + e.getClass().getSimpleName(), 0, null);
        }
        int status = response.status();
        if (status == 429 || status >= 500) {
            throw new ProviderUnavailableException("token endpoint answered " + status, status, retryAfter(response));
        }
        Map<String, Object> json;
        try {
            json = ProviderJson.object(response.body());
        } catch (IOException | RuntimeException e) {
            throw new ProviderUnavailableException("token endpoint answered " + status + " without a JSON object", status, null);
        }
        if (status != 200 || json.get("error") != null) {
            // The OAuth error, else a provider's own code (HubSpot: "status":"BAD_REFRESH_TOKEN"), else the status.
            String error = json.get("error") instanceof String e ? e
                    : json.get("status") instanceof String own && own.matches("[A-Za-z_]{1,64}") ? own : "http_" + status;
            throw new GrantRefusedException(error, status, connector.grantDead(status, json));
        }
        try {
            return connector.readTokens(json, settings, now);
        } catch (IOException | RuntimeException e) {
            throw new ProviderUnavailableException("token response not acceptable: " + e.getMessage(), status, null);
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
