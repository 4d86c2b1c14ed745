package io.switchboard.core.tokens.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.connector.AuthSpec;
import io.switchboard.core.api.connector.ConnectorSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Fills the {@code {name}} templates of an {@link AuthSpec} from the app's options, the spec's defaults and the instance URL. */
final class Endpoints {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z0-9._-]+)}");

    private Endpoints() {}

    /** authorization, token, revocation, userinfo, api, instance: those the spec has. */
    static Map<String, String> resolve(AuthSpec spec, ConnectorSettings settings, String instanceUrl) {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, "authorization", spec.authorizationUrl(), spec, settings, instanceUrl);
        put(out, "token", spec.tokenUrl(), spec, settings, instanceUrl);
        put(out, "revocation", spec.revocationUrl(), spec, settings, instanceUrl);
        put(out, "userinfo", spec.userinfoUrl(), spec, settings, instanceUrl);
        String api = settings.options().getOrDefault("api.base.url", spec.defaults().get("api.base.url"));
        put(out, "api", api, spec, settings, instanceUrl);
        if (instanceUrl != null) {
            out.put("instance", instanceUrl);
        }
        return out;
    }

    static String fill(String template, AuthSpec spec, ConnectorSettings settings, String instanceUrl) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = "instance".equals(name) ? instanceUrl : settings.options().getOrDefault(name, spec.defaults().get(name));
            if (value == null) {
                throw new ProblemException(500, "connector-misconfigured", "Connector misconfigured",
                        "the connector needs the option '" + name + "', which the app has not set");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static void put(Map<String, String> out, String key, String template, AuthSpec spec, ConnectorSettings settings,
                            String instanceUrl) {
        if (template != null && !template.isBlank()) {
            out.put(key, fill(template, spec, settings, instanceUrl));
        }
    }
}
