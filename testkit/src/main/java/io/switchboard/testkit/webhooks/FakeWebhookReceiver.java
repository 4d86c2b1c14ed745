package io.switchboard.testkit.webhooks;

import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.http.FakeServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A developer's webhook endpoint at {@code /hooks}: it answers 204 (or what the test scripts with
 * {@link #failNext}) and checks every delivery as the Standard Webhooks specification tells a
 * receiver to, written here from the specification rather than from Switchboard's signer: the
 * {@code webhook-id}, {@code webhook-timestamp} (within 5 minutes) and {@code webhook-signature}
 * headers, a {@code v1,<base64 HMAC-SHA256>} of {@code id.timestamp.body} keyed with the base64
 * bytes after {@code whsec_}, compared in constant time, any of the space-separated signatures.
 */
public class FakeWebhookReceiver extends FakeServer {
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    public FakeWebhookReceiver() {
        route("POST", "/hooks", request -> FakeResponse.empty(204));
    }

    /** The endpoint URL to register. */
    public String url() {
        return baseUri() + "/hooks";
    }

    /** The deliveries received so far. */
    public List<FakeRequest> deliveries() {
        return requests().stream().filter(r -> r.path().startsWith("/hooks")).toList();
    }

    /** Whether {@code request} carries a valid signature by {@code secret} and a fresh timestamp. */
    public static boolean verifies(FakeRequest request, String secret) {
        String id = request.header("webhook-id");
        String timestamp = request.header("webhook-timestamp");
        String signatures = request.header("webhook-signature");
        if (id == null || timestamp == null || signatures == null || !secret.startsWith("whsec_")) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Duration.between(Instant.ofEpochSecond(seconds), Instant.now()).abs().compareTo(TOLERANCE) > 0) {
            return false;
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            expected = mac.doFinal(request.body());
        } catch (Exception e) {
            return false;
        }
        for (String signature : signatures.split(" ")) {
            int comma = signature.indexOf(',');
            if (comma > 0 && signature.substring(0, comma).equals("v1")) {
                try {
                    if (MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(comma + 1)))) {
                        return true;
                    }
                } catch (IllegalArgumentException notBase64) {
                    // another signature may still match
                }
            }
        }
        return false;
    }
}
