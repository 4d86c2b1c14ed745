package io.switchboard.core.api.connector;

import io.switchboard.core.api.ProblemException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scopes by feature, for a connector whose apps choose what they use (a mailbox: mail read, mail
 * send, calendar). An app sets the option {@value #OPTION} to a comma-separated list of feature
 * names (or its own scope list, which is taken as it is); the scopes asked for are then
 * {@code always} (what linking itself needs: a refresh token, the identity call) plus each chosen
 * feature's scopes, in order and without repeats.
 *
 * @param always the scopes every authorization request carries
 * @param features each feature's scopes, by feature name
 * @param defaultFeatures the features of an app that chose none
 */
public record FeatureScopes(List<String> always, Map<String, List<String>> features, List<String> defaultFeatures) {
    /** The app option naming the features an app uses. */
    public static final String OPTION = "features";

    public FeatureScopes {
        always = List.copyOf(always);
        features = Map.copyOf(features);
        defaultFeatures = List.copyOf(defaultFeatures);
        if (!features.keySet().containsAll(defaultFeatures)) {
            throw new IllegalArgumentException("a default feature that is not declared");
        }
    }

    /** The scopes of an app that chose nothing: {@code always} plus the default features' (an {@link AuthSpec}'s default scopes). */
    public List<String> defaultScopes() {
        return scopes(new ConnectorSettings("", "", List.of(), Map.of()));
    }

    /**
     * The scopes for one app: {@code always} plus the app's own scopes when it set some, else plus
     * the scopes of its features ({@value #OPTION}, else the defaults).
     *
     * @throws ProblemException 500 {@code connector-misconfigured} for a feature this connector does not offer
     */
    public List<String> scopes(ConnectorSettings settings) {
        Set<String> out = new LinkedHashSet<>(always);
        if (!settings.scopes().isEmpty()) {
            out.addAll(settings.scopes());
            return List.copyOf(out);
        }
        String chosen = settings.options().get(OPTION);
        List<String> names = chosen == null || chosen.isBlank() ? defaultFeatures : List.of(chosen.trim().split("\\s*,\\s*"));
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            List<String> scopes = features.get(name);
            if (scopes == null) {
                unknown.add(name);
            } else {
                out.addAll(scopes);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ProblemException(500, "connector-misconfigured", "Connector misconfigured",
                    "the app's option '" + OPTION + "' names " + unknown + "; this connector offers " + features.keySet().stream().sorted().toList());
        }
        return List.copyOf(out);
    }
}
