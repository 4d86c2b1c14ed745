package io.switchboard.connector.hubspot.internal;

import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.Upstream;
import io.switchboard.core.api.crm.CrmConnector;
import io.switchboard.core.api.crm.CrmException;
import io.switchboard.core.api.crm.CrmHttp;
import io.switchboard.core.api.crm.CrmMappings;
import io.switchboard.core.api.crm.CrmObject;
import io.switchboard.core.api.crm.CrmPage;
import io.switchboard.core.api.crm.CrmRecord;
import io.switchboard.core.api.crm.EmailActivity;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The unified CRM over HubSpot's CRM v3 objects: contacts, companies, deals (opportunities),
 * tasks and notes; HubSpot has no leads (404 {@code not-supported-by-connector}). Lists page with
 * {@code after}; "who is this sender" is a contacts search on {@code email}; an email is an email
 * engagement associated with its contacts (type 198) and company (186), a meeting a meeting
 * engagement (200, 188).
 */
@Component(service = CrmConnector.class, property = Connector.ID + "=hubspot")
public class HubSpotCrm implements CrmConnector {

    private record Mapping(String object, Map<String, String> fields) {
        String properties() {
            return String.join(",", new java.util.LinkedHashSet<>(fields.values()));
        }
    }

    private static final Map<CrmObject, Mapping> MAPPINGS = Map.of(
            CrmObject.CONTACTS, new Mapping("contacts", CrmMappings.pairs("firstName", "firstname", "lastName", "lastname", "email", "email",
                    "phone", "phone", "title", "jobtitle", "companyId", "associatedcompanyid")),
            CrmObject.COMPANIES, new Mapping("companies", CrmMappings.pairs("name", "name", "domain", "domain", "phone", "phone",
                    "industry", "industry")),
            CrmObject.OPPORTUNITIES, new Mapping("deals", CrmMappings.pairs("name", "dealname", "amount", "amount", "stage", "dealstage",
                    "closeDate", "closedate", "companyId", "associatedcompanyid")),
            CrmObject.TASKS, new Mapping("tasks", CrmMappings.pairs("subject", "hs_task_subject", "status", "hs_task_status",
                    "dueDate", "hs_timestamp", "body", "hs_task_body")),
            CrmObject.NOTES, new Mapping("notes", CrmMappings.pairs("title", "hs_note_title", "body", "hs_note_body")));


    private static Mapping mapping(CrmObject type) throws CrmException {
        Mapping m = MAPPINGS.get(type);
        if (m == null) {
            throw new CrmException(CrmException.Kind.NOT_SUPPORTED, 0, "HubSpot has no " + type.path(), null);
        }
        return m;
    }

    @Override
    public CrmPage list(CrmHttp http, CrmObject type, String next, int limit) throws CrmException, IOException {
        Mapping m = mapping(type);
        String path = "/crm/v3/objects/" + m.object() + "?limit=" + limit + "&properties=" + enc(m.properties())
                + (next == null ? "" : "&after=" + enc(next));
        Map<String, Object> body = object(http, http.send("GET", path, Map.of(), null));
        return new CrmPage(records(type, m, body), after(body));
    }

    @Override
    public CrmRecord get(CrmHttp http, CrmObject type, String id) throws CrmException, IOException {
        Mapping m = mapping(type);
        return record(type, m, object(http, http.send("GET", "/crm/v3/objects/" + m.object() + "/" + enc(id) + "?properties="
                + enc(m.properties()), Map.of(), null)));
    }

    @Override
    public CrmRecord create(CrmHttp http, CrmObject type, Map<String, Object> fields) throws CrmException, IOException {
        Mapping m = mapping(type);
        Map<String, Object> created = object(http, http.send("POST", "/crm/v3/objects/" + m.object(),
                Map.of("Content-Type", "application/json"), http.write(Map.of("properties", remote(m, fields)))));
        return record(type, m, created);
    }

    @Override
    public CrmRecord update(CrmHttp http, CrmObject type, String id, Map<String, Object> fields) throws CrmException, IOException {
        Mapping m = mapping(type);
        return record(type, m, object(http, http.send("PATCH", "/crm/v3/objects/" + m.object() + "/" + enc(id),
                Map.of("Content-Type", "application/json"), http.write(Map.of("properties", remote(m, fields))))));
    }

    @Override
    public List<CrmRecord> findPeople(CrmHttp http, String email) throws CrmException, IOException {
        Mapping m = MAPPINGS.get(CrmObject.CONTACTS);
        Map<String, Object> search = Map.of(
                "filterGroups", List.of(Map.of("filters", List.of(Map.of("propertyName", "email", "operator", "EQ", "value", email)))),
                "properties", List.of(m.properties().split(",")), "limit", 100);
        Map<String, Object> body = object(http, http.send("POST", "/crm/v3/objects/contacts/search",
                Map.of("Content-Type", "application/json"), http.write(search)));
        return records(CrmObject.CONTACTS, m, body);
    }

    @Override
    public CrmRecord logActivity(CrmHttp http, EmailActivity a) throws CrmException, IOException {
        boolean meeting = "meeting".equals(a.kind());
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("hs_timestamp", a.date().toString());
        if (meeting) {
            properties.put("hs_meeting_title", a.subject());
            properties.put("hs_meeting_body", a.bodyText() != null ? a.bodyText() : a.bodyHtml());
            properties.put("hs_meeting_start_time", a.date().toString());
            properties.put("hs_meeting_end_time", a.date().plus(Duration.ofMinutes(30)).toString());
        } else {
            properties.put("hs_email_direction", "inbound".equals(a.direction()) ? "INCOMING_EMAIL" : "EMAIL");
            properties.put("hs_email_subject", a.subject());
            if (a.bodyText() != null) {
                properties.put("hs_email_text", a.bodyText());
            }
            if (a.bodyHtml() != null) {
                properties.put("hs_email_html", a.bodyHtml());
            }
            Map<String, Object> headers = new LinkedHashMap<>();
            headers.put("from", Map.of("email", a.from() == null ? "" : a.from()));
            headers.put("to", a.to().stream().map(t -> Map.of("email", t)).toList());
            headers.put("cc", a.cc().stream().map(t -> Map.of("email", t)).toList());
            properties.put("hs_email_headers", http.write(headers));
        }
        List<Object> associations = new ArrayList<>();
        for (String contact : a.contactIds()) {
            associations.add(association(contact, meeting ? 200 : 198));
        }
        if (a.companyId() != null) {
            associations.add(association(a.companyId(), meeting ? 188 : 186));
        }
        Map<String, Object> created = object(http, http.send("POST", "/crm/v3/objects/" + (meeting ? "meetings" : "emails"),
                Map.of("Content-Type", "application/json"), http.write(Map.of("properties", properties, "associations", associations))));
        Map<String, Object> unified = new LinkedHashMap<>();
        unified.put("subject", a.subject());
        unified.put("contactId", a.contactIds().isEmpty() ? null : a.contactIds().get(0));
        unified.put("companyId", a.companyId());
        return new CrmRecord(String.valueOf(created.get("id")), CrmObject.TASKS, unified, created);
    }

    private static Map<String, Object> association(String id, int type) {
        return Map.of("to", Map.of("id", id), "types", List.of(Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", type)));
    }

    // ---- mapping

    /** HubSpot properties are strings. */
    private static Map<String, Object> remote(Mapping m, Map<String, Object> unified) {
        Map<String, Object> out = new LinkedHashMap<>();
        CrmMappings.toRemote(m.fields(), unified).forEach((k, v) -> out.put(k, v == null ? null : String.valueOf(v)));
        return out;
    }

    private static List<CrmRecord> records(CrmObject type, Mapping m, Map<String, Object> body) {
        return CrmMappings.objects(body.get("results")).stream().map(r -> record(type, m, r)).toList();
    }

    private static CrmRecord record(CrmObject type, Mapping m, Map<String, Object> remote) {
        Map<String, Object> properties = remote.get("properties") instanceof Map<?, ?> p ? cast(p) : Map.of();
        return new CrmRecord(String.valueOf(remote.get("id")), type, CrmMappings.fromRemote(m.fields(), properties), remote);
    }

    private static String after(Map<String, Object> body) {
        if (body.get("paging") instanceof Map<?, ?> paging && paging.get("next") instanceof Map<?, ?> next
                && next.get("after") != null) {
            return String.valueOf(next.get("after"));
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---- responses: {"status":"error","message","correlationId","category"}

    private static Map<String, Object> object(CrmHttp http, Upstream.Response r) throws CrmException, IOException {
        if (r.ok()) {
            return http.parseObject(r.body());
        }
        String category = "";
        String message = "HTTP " + r.status();
        try {
            Map<String, Object> e = http.parseObject(r.body());
            category = String.valueOf(e.get("category"));
            message = category + ": " + e.get("message");
        } catch (IOException | RuntimeException notJson) {
            // keep the status as the message
        }
        CrmException.Kind kind = CrmException.Kind.ofStatus(r.status());
        Duration retry = null;
        if (kind == CrmException.Kind.RATE_LIMITED) {
            List<String> interval = r.headers().getOrDefault("X-HubSpot-RateLimit-Interval-Milliseconds", List.of());
            retry = interval.isEmpty() ? Duration.ofSeconds(10) : Duration.ofMillis(Long.parseLong(interval.get(0).trim()));
        }
        throw new CrmException(kind, r.status(), message, retry);
    }
}
