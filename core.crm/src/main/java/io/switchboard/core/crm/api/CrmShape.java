package io.switchboard.core.crm.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a CRM connector declares about its provider's data, for the engine behind {@link CrmHttp}:
 * which object and fields stand for each unified type, where a record's id and fields are, where a
 * list's records are, and how the provider's refusals look. The connector then writes only what
 * is truly its own (the paths, the query language, the activity model); reading records and
 * classifying errors is the engine's ({@link CrmHttp#object}, {@link CrmHttp#records},
 * {@link CrmHttp#record}, {@link CrmHttp#toRemote}).
 *
 * @param tables each unified type the CRM has, with its object and field names (a type not here is
 *     answered {@code not-supported-by-connector})
 * @param idMember the member holding a record's id ({@code Id}, {@code id})
 * @param recordsMember the member of a list or search answer holding its records ({@code records}, {@code results})
 * @param fieldsMember the member of a record holding its fields, or {@code null} when they are its own members (HubSpot: {@code properties})
 * @param stringValues whether field values are written as strings (HubSpot's properties are)
 * @param errors how the provider's refusals look
 */
public record CrmShape(Map<CrmObject, Table> tables, String idMember, String recordsMember, String fieldsMember, boolean stringValues,
                       Errors errors) {

    public CrmShape {
        tables = Map.copyOf(tables);
    }

    /**
     * The tables a connector keeps as data, in a properties resource beside its class: one line
     * per unified type, {@code contacts = Contact: firstName=FirstName, lastName=LastName, ...}
     * (the unified type's path, the provider's object, then unified=provider field pairs in order).
     *
     * @throws IllegalArgumentException when the resource is missing or a line is not of that form
     */
    public static Map<CrmObject, Table> tables(Class<?> owner, String resource) {
        java.util.Properties lines = new java.util.Properties();
        try (java.io.InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource + " beside " + owner.getName());
            }
            lines.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read " + resource, e);
        }
        Map<CrmObject, Table> out = new LinkedHashMap<>();
        for (String path : lines.stringPropertyNames()) {
            CrmObject type = CrmObject.ofPath(path);
            if (type == null) {
                throw new IllegalArgumentException(resource + ": no unified type " + path);
            }
            String line = lines.getProperty(path);
            int colon = line.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException(resource + ": " + path + " is not 'Object: unified=provider, ...'");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (String pair : line.substring(colon + 1).split(",")) {
                String[] names = pair.trim().split("\\s*=\\s*");
                if (names.length != 2 || names[0].isEmpty() || names[1].isEmpty()) {
                    throw new IllegalArgumentException(resource + ": " + path + ": not unified=provider: " + pair.trim());
                }
                fields.put(names[0], names[1]);
            }
            out.put(type, new Table(line.substring(0, colon).trim(), fields));
        }
        return out;
    }

    /**
     * A unified type's object at the provider and its fields.
     *
     * @param remoteName the provider's object ({@code Contact}, {@code contacts}, {@code Contacts})
     * @param fields unified field name → the provider's field name, in order
     */
    public record Table(String remoteName, Map<String, String> fields) {
        public Table {
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        /** The provider's field names, each once, in order. */
        public List<String> remoteFields() {
            return new ArrayList<>(new LinkedHashSet<>(fields.values()));
        }
    }

    /**
     * How a refusal reads. The kind comes from the status ({@link CrmException.Kind#ofStatus}),
     * unless the provider's code says more.
     *
     * @param arrayBody whether the body is an array whose first element holds the members (Salesforce)
     * @param codeMember the member naming the error ({@code errorCode}, {@code category}, {@code error})
     * @param messageMember the member with the provider's message
     * @param notFoundCodes codes that mean "no such record" whatever the status
     * @param rateLimitCodes codes that mean "rate limited" whatever the status
     * @param retryAfterMillisHeader a header with the wait in milliseconds when rate limited, or {@code null}
     * @param defaultRetryAfter the wait when rate limited and the provider says none
     */
    public record Errors(boolean arrayBody, String codeMember, String messageMember, Set<String> notFoundCodes,
                         Set<String> rateLimitCodes, String retryAfterMillisHeader, Duration defaultRetryAfter) {
        public Errors {
            notFoundCodes = Set.copyOf(notFoundCodes);
            rateLimitCodes = Set.copyOf(rateLimitCodes);
        }
    }
}
