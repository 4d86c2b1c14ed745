package io.switchboard.testkit.oauth;

import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** How the OAuth fakes read requests and write answers: form and JSON bodies, PKCE's S256, redirects, random values. */
final class OAuthMessages {
    private static final SecureRandom RANDOM = new SecureRandom();

    private OAuthMessages() {}

    static boolean isJson(FakeRequest req) {
        String type = req.header("Content-Type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    /** A 302 to {@code target} with {@code params} added to its query. */
    static FakeResponse redirect(String target, Map<String, String> params) {
        StringBuilder url = new StringBuilder(target).append(target.contains("?") ? '&' : '?');
        params.forEach((k, v) -> url.append(enc(k)).append('=').append(enc(v)).append('&'));
        url.setLength(url.length() - 1);
        return FakeResponse.empty(302).withHeader("Location", URI.create(url.toString()).toString());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** 24 random bytes, base64url: codes and tokens. */
    static String random() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A flat JSON object of strings (what JSON token requests carry) as a map. */
    static Map<String, String> jsonForm(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        try {
            com.nimbusds.jose.util.JSONObjectUtils.parse(text == null ? "{}" : text)
                    .forEach((k, v) -> map.put(k, v == null ? "" : String.valueOf(v)));
        } catch (java.text.ParseException e) {
            // an unreadable body has no parameters
        }
        return map;
    }

    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> form(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return map;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            map.put(k, v);
        }
        return map;
    }
}
