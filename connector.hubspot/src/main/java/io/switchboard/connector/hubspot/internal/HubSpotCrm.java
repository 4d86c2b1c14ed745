package io.switchboard.connector.hubspot.internal;

import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.crm.api.CrmConnector;
import io.switchboard.core.crm.api.CrmException;
import io.switchboard.core.crm.api.CrmHttp;
import io.switchboard.core.crm.api.CrmObject;
import io.switchboard.core.crm.api.CrmPage;
import io.switchboard.core.crm.api.CrmRecord;
import io.switchboard.core.crm.api.CrmShape;
import io.switchboard.core.crm.api.CrmShape.Table;
import io.switchboard.core.crm.api.EmailActivity;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    private static final CrmShape SHAPE = new CrmShape(CrmShape.tables(HubSpotCrm.class, "crm-tables.properties"),
            "id", "results", "properties", true,
            // {"status":"error","message","correlationId","category"}; 429s name the window in a header
            new CrmShape.Errors(false, "category", "message", Set.of(), Set.of(), "X-HubSpot-RateLimit-Interval-Milliseconds",
                    Duration.ofSeconds(10)));

    @Override
    public CrmShape shape() {
        return SHAPE;
    }

    @Override
    public CrmPage list(CrmHttp http, CrmObject type, String next, int limit) throws CrmException, IOException {
        Table t = http.table(type);
        String path = "/crm/v3/objects/" + t.remoteName() + "?limit=" + limit + "&properties=" + properties(t)
                + (next == null ? "" : "&after=" + enc(next));
        Map<String, Object> body = http.object(http.send("GET", path, Map.of(), null));
        return new CrmPage(http.records(type, body), after(body));
    }

    @Override
    public CrmRecord get(CrmHttp http, CrmObject type, String id) throws CrmException, IOException {
        Table t = http.table(type);
        return http.record(type, http.object(http.send("GET", "/crm/v3/objects/" + t.remoteName() + "/" + enc(id) + "?properties="
                + properties(t), Map.of(), null)));
    }

    @Override
    public CrmRecord create(CrmHttp http, CrmObject type, Map<String, Object> fields) throws CrmException, IOException {
        Map<String, Object> remote = new LinkedHashMap<>(http.toRemote(type, fields));
        if ((type == CrmObject.TASKS || type == CrmObject.NOTES) && remote.get("hs_timestamp") == null) {
            remote.put("hs_timestamp", java.time.Instant.now().toString()); // HubSpot refuses engagements without one
        }
        return http.record(type, http.object(http.send("POST", "/crm/v3/objects/" + http.table(type).remoteName(),
                Map.of("Content-Type", "application/json"), http.write(Map.of("properties", remote)))));
    }

    @Override
    public CrmRecord update(CrmHttp http, CrmObject type, String id, Map<String, Object> fields) throws CrmException, IOException {
        return http.record(type, http.object(http.send("PATCH", "/crm/v3/objects/" + http.table(type).remoteName() + "/" + enc(id),
                Map.of("Content-Type", "application/json"), http.write(Map.of("properties", http.toRemote(type, fields))))));
    }

    @Override
    public List<CrmRecord> findPeople(CrmHttp http, String email) throws CrmException, IOException {
        Map<String, Object> search = Map.of(
                "filterGroups", List.of(Map.of("filters", List.of(Map.of("propertyName", "email", "operator", "EQ", "value", email)))),
                "properties", http.table(CrmObject.CONTACTS).remoteFields(), "limit", 100);
        return http.records(CrmObject.CONTACTS, http.object(http.send("POST", "/crm/v3/objects/contacts/search",
                Map.of("Content-Type", "application/json"), http.write(search))));
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
        Map<String, Object> created = http.object(http.send("POST", "/crm/v3/objects/" + (meeting ? "meetings" : "emails"),
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

    private static String properties(Table t) {
        return enc(String.join(",", t.remoteFields()));
    }

    private static String after(Map<String, Object> body) {
        if (body.get("paging") instanceof Map<?, ?> paging && paging.get("next") instanceof Map<?, ?> next
                && next.get("after") != null) {
            return String.valueOf(next.get("after"));
        }
        return null;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
