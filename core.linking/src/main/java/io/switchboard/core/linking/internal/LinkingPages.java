package io.switchboard.core.linking.internal;

import io.switchboard.core.api.util.Ids;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.ws.rs.core.Response;

/**
 * The small HTML pages of the linking dialog. They carry a status and an account id, never a
 * token; scripts run only with a per-response nonce; nothing is cached; no
 * {@code Cross-Origin-Opener-Policy: same-origin}, which would cut the dialog off from Office.
 */
final class LinkingPages {
    static final String OFFICE_JS = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";

    private LinkingPages() {}

    /**
     * The last page of an Office dialog: {@code Office.context.ui.messageParent} with
     * {@code {"status":"ok","accountId":...}} or {@code {"status":"error","error":...}}.
     */
    static Response result(int status, String accountId, String error) {
        String nonce = nonce();
        String message = accountId != null
                ? "{\"status\":\"ok\",\"accountId\":\"" + js(accountId) + "\"}"
                : "{\"status\":\"error\",\"error\":\"" + js(error) + "\"}";
        String text = accountId != null ? "The account is linked. You can close this window." : "Linking failed (" + html(error) + ").";
        String body = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Switchboard</title>"
                + "<script src=\"" + OFFICE_JS + "\" nonce=\"" + nonce + "\"></script></head><body>"
                + "<p id=\"message\">" + text + "</p>"
                + "<script nonce=\"" + nonce + "\">(function(){var result=" + message + ";"
                + "function send(){try{Office.context.ui.messageParent(JSON.stringify(result));}catch(e){}}"
                + "if(window.Office&&Office.onReady){Office.onReady(send);}})();</script>"
                + "</body></html>";
        return page(status, body, nonce, true);
    }

    static Response passwordForm(String action, String state, String connectorName, String error, String instanceUrl) {
        return passwordForm(action, state, connectorName, error, instanceUrl, null, null);
    }

    /**
     * The password form; with {@code userLabel} and {@code appName}, it says whose account is being
     * linked, so that a user who opened someone else's link (ticket fixation) sees it before typing.
     */
    static Response passwordForm(String action, String state, String connectorName, String error, String instanceUrl,
                                 String userLabel, String appName) {
        String nonce = nonce();
        String body = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Link " + html(connectorName) + "</title>"
                + "<meta name=\"viewport\" content=\"width=device-width\"><style nonce=\"" + nonce + "\">"
                + "body{font-family:system-ui,sans-serif;max-width:24rem;margin:2rem auto;padding:0 1rem}"
                + "label{display:block;margin-top:1rem}input{width:100%;padding:.4rem;box-sizing:border-box}"
                + "button{margin-top:1.5rem;padding:.5rem 1rem}.error{color:#a00}</style></head><body>"
                + "<h1>Link " + html(connectorName) + "</h1>"
                + (appName == null ? "" : "<p class=\"who\">For <strong>" + html(userLabel == null ? "the signed-in user" : userLabel)
                        + "</strong> in <strong>" + html(appName) + "</strong>. If that is not you, close this window.</p>")
                + (error == null ? "" : "<p class=\"error\" role=\"alert\">" + html(error) + "</p>")
                + "<form method=\"post\" action=\"" + html(action) + "\" autocomplete=\"off\">"
                + "<input type=\"hidden\" name=\"state\" value=\"" + html(state) + "\">"
                + "<label>Instance URL<input name=\"instance\" type=\"url\" required placeholder=\"https://example.sugarondemand.com\" value=\""
                + html(instanceUrl == null ? "" : instanceUrl) + "\"></label>"
                + "<label>User name<input name=\"username\" required autocomplete=\"username\"></label>"
                + "<label>Password<input name=\"password\" type=\"password\" required autocomplete=\"current-password\"></label>"
                + "<button type=\"submit\">Link account</button></form>"
                + "<p><small>Your password is sent once to your instance to obtain a token and is not stored.</small></p>"
                + "</body></html>";
        return page(error == null ? 200 : 400, body, nonce, false);
    }

    private static Response page(int status, String body, String nonce, boolean officeScript) {
        return Response.status(status)
                .type("text/html; charset=utf-8")
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; script-src 'nonce-" + nonce + "'"
                        + (officeScript ? " https://appsforoffice.microsoft.com" : "") + "; style-src 'nonce-" + nonce
                        + "'; form-action 'self'; base-uri 'none'")
                .entity(body.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    private static String nonce() {
        byte[] b = new byte[16];
        Ids.secureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    static String html(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : (s == null ? "" : s).toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Safe inside a JavaScript string in a script element. */
    static String js(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : (s == null ? "" : s).toCharArray()) {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == ' ') {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }
}
