package io.switchboard.core.store.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.api.ResourceProvider;
import org.osgi.framework.Bundle;

/**
 * A bundle's claim to a part of the database, from its manifest header
 * {@code Switchboard-Schema: <name>[;requires="<name> ..."][;legacy="<0.1 version>=<version>, ..."]}:
 * its scripts are {@code db/schema/<name>/V<n>__<what>.sql} in the bundle, applied once the
 * schemas it references ({@code requires}) are in place. {@code legacy} maps the last version of
 * release 0.1's single history that held this bundle's tables to the version of its own scripts
 * that those tables correspond to.
 */
record SchemaDeclaration(String name, String owner, ResourceProvider scripts, Set<String> requires, Map<Integer, String> legacy) {
    static final String HEADER = "Switchboard-Schema";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,30}");
    private static final Pattern ATTRIBUTE = Pattern.compile("\\s*([a-z]+)\\s*=\\s*\"([^\"]*)\"\\s*");

    /** The bundle's declaration, or {@code null} when it has none. @throws IllegalArgumentException when it is malformed */
    static SchemaDeclaration of(Bundle bundle) {
        String header = bundle.getHeaders("").get(HEADER);
        if (header == null || header.isBlank()) {
            return null;
        }
        int semicolon = header.indexOf(';');
        String name = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(HEADER + " of " + bundle.getSymbolicName() + ": not a schema name: " + name);
        }
        Set<String> requires = new LinkedHashSet<>();
        Map<Integer, String> legacy = new TreeMap<>();
        String[] parts = header.split(";");
        for (int i = 1; i < parts.length; i++) {
            Matcher m = ATTRIBUTE.matcher(parts[i]);
            if (!m.matches()) {
                throw new IllegalArgumentException(HEADER + " of " + bundle.getSymbolicName() + ": not name=\"value\": " + parts[i]);
            }
            String value = m.group(2).trim();
            switch (m.group(1)) {
                case "requires" -> requires.addAll(value.isEmpty() ? List.of() : List.of(value.split("[\\s,]+")));
                case "legacy" -> {
                    for (String pair : value.split("\\s*,\\s*")) {
                        String[] versions = pair.split("=");
                        legacy.put(Integer.parseInt(versions[0].trim()), versions[1].trim());
                    }
                }
                default -> throw new IllegalArgumentException(HEADER + " of " + bundle.getSymbolicName() + ": unknown attribute " + m.group(1));
            }
        }
        return new SchemaDeclaration(name, bundle.getSymbolicName(), SchemaMigrations.bundleScripts(bundle, "db/schema/" + name),
                Set.copyOf(requires), Map.copyOf(legacy));
    }

    /**
     * The version to start this schema's history at on a database written by release 0.1.
     *
     * @param legacyVersion the highest version in release 0.1's history, or {@code null} when there is no such history
     * @return {@code null} when nothing of this schema was applied by release 0.1
     */
    String legacyBaseline(Integer legacyVersion) {
        if (legacyVersion == null) {
            return null;
        }
        String baseline = null;
        for (Map.Entry<Integer, String> e : new TreeMap<>(legacy).entrySet()) {
            if (e.getKey() <= legacyVersion) {
                baseline = e.getValue();
            }
        }
        return baseline;
    }
}
