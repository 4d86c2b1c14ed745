package io.switchboard.testkit.oauth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** How the OAuth fakes read requests: form and JSON bodies, and PKCE's S256. */
final class OAuthMessages {
    private OAuthMessages() {}

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
