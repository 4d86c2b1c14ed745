package io.switchboard.connector.sugarcrm.internal;

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
 * The unified CRM over SugarCRM's v11 REST API: Contacts, Accounts (companies), Leads,
 * Opportunities, Tasks, Notes. Lists page with {@code offset}/{@code next_offset}; "who is this
 * sender" uses the filter API ({@code {"email":{"$equals":...}}}) on Contacts and Leads; an email
 * is an archived Email and a meeting a Meeting, both with the contact as parent.
 */
@Component(service = CrmConnector.class, property = Connector.ID + "=sugarcrm")
public class SugarCrm implements CrmConnector {
    private static final CrmShape SHAPE = new CrmShape(CrmShape.tables(SugarCrm.class, "crm-tables.properties"),
            "id", "records", null, false,
            // {"error":"<label>","error_message":"..."}
            new CrmShape.Errors(false, "error", "error_message", Set.of(), Set.of(), null, Duration.ofSeconds(30)));

    @Override
    public CrmShape shape() {
        return SHAPE;
    }

    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    @Override
    public CrmPage list(CrmHttp http, CrmObject type, String next, int limit) throws CrmException, IOException {
        Table t = http.table(type);
        int offset = next == null ? 0 : parseOffset(next);
        Map<String, Object> body = http.object(http.send("GET", "/" + t.remoteName() + "?max_num=" + limit + "&offset=" + offset
                + "&fields=" + enc(fieldList(t)), Map.of(), null));
        Object nextOffset = body.get("next_offset");
        String continuation = nextOffset instanceof Number n && n.intValue() >= 0 ? Integer.toString(n.intValue()) : null;
        return new CrmPage(http.records(type, body), continuation);
    }

    private static int parseOffset(String next) throws CrmException {
        try {
            return Math.max(0, Integer.parseInt(next));
        } catch (NumberFormatException e) {
            throw new CrmException(CrmException.Kind.VALIDATION, 400, "invalid cursor", null);
        }
    }

    @Override
    public CrmRecord get(CrmHttp http, CrmObject type, String id) throws CrmException, IOException {
        return http.record(type, http.object(http.send("GET", "/" + http.table(type).remoteName() + "/" + enc(id), Map.of(), null)));
    }

    @Override
    public CrmRecord create(CrmHttp http, CrmObject type, Map<String, Object> fields) throws CrmException, IOException {
        return http.record(type, http.object(http.send("POST", "/" + http.table(type).remoteName(), JSON,
                http.write(http.toRemote(type, fields)))));
    }

    @Override
    public CrmRecord update(CrmHttp http, CrmObject type, String id, Map<String, Object> fields) throws CrmException, IOException {
        return http.record(type, http.object(http.send("PUT", "/" + http.table(type).remoteName() + "/" + enc(id), JSON,
                http.write(http.toRemote(type, fields)))));
    }

    @Override
    public List<CrmRecord> findPeople(CrmHttp http, String email) throws CrmException, IOException {
        List<CrmRecord> people = new ArrayList<>();
        for (CrmObject type : List.of(CrmObject.CONTACTS, CrmObject.LEADS)) {
            Table t = http.table(type);
            Map<String, Object> filter = Map.of("filter", List.of(Map.of("email", Map.of("$equals", email))),
                    "fields", fieldList(t), "max_num", 100);
            people.addAll(http.records(type, http.object(http.send("POST", "/" + t.remoteName() + "/filter", JSON, http.write(filter)))));
        }
        return people;
    }

    @Override
    public CrmRecord logActivity(CrmHttp http, EmailActivity a) throws CrmException, IOException {
        boolean meeting = "meeting".equals(a.kind());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", a.subject());
        fields.put("description", a.bodyText() != null ? a.bodyText() : a.bodyHtml());
        if (!a.contactIds().isEmpty()) {
            fields.put("parent_type", "Contacts");
            fields.put("parent_id", a.contactIds().get(0));
        } else if (a.companyId() != null) {
            fields.put("parent_type", "Accounts");
            fields.put("parent_id", a.companyId());
        }
        String module;
        if (meeting) {
            module = "Meetings";
            fields.put("date_start", a.date().toString());
            fields.put("duration_hours", 0);
            fields.put("duration_minutes", 30);
            fields.put("status", "Held");
        } else {
            module = "Emails";
            fields.put("state", "Archived");
            fields.put("date_sent", a.date().toString());
            fields.put("type", "inbound".equals(a.direction()) ? "inbound" : "out");
            if (a.bodyHtml() != null) {
                fields.put("description_html", a.bodyHtml());
            }
            fields.put("from_addr_name", a.from());
            fields.put("to_addrs_names", String.join(", ", a.to()));
            fields.put("cc_addrs_names", String.join(", ", a.cc()));
        }
        Map<String, Object> created = http.object(http.send("POST", "/" + module, JSON, http.write(fields)));
        Map<String, Object> unified = new LinkedHashMap<>();
        unified.put("subject", a.subject());
        unified.put("contactId", a.contactIds().isEmpty() ? null : a.contactIds().get(0));
        unified.put("companyId", a.companyId());
        return new CrmRecord(String.valueOf(created.get("id")), CrmObject.TASKS, unified, created);
    }

    private static String fieldList(Table t) {
        return "id," + String.join(",", t.remoteFields());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
