package io.switchboard.connector.sugarcrm.internal;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The unified CRM over SugarCRM's v11 REST API: Contacts, Accounts (companies), Leads,
 * Opportunities, Tasks, Notes. Lists page with {@code offset}/{@code next_offset}; "who is this
 * sender" uses the filter API ({@code {"email":{"$equals":...}}}) on Contacts and Leads; an email
 * is an archived Email and a meeting a Meeting, both with the contact as parent.
 */
@Component(service = CrmConnector.class, property = Connector.ID + "=sugarcrm")
public class SugarCrm implements CrmConnector {
    private static final String RECORDS = "records";

    private record Mapping(String module, Map<String, String> fields) {
        String fieldList() {
            return "id," + String.join(",", new LinkedHashSet<>(fields.values()));
        }
    }

    private static final Map<CrmObject, Mapping> MAPPINGS = Map.of(
            CrmObject.CONTACTS, new Mapping("Contacts", CrmMappings.pairs("firstName", "first_name", "lastName", "last_name", "email", "email1",
                    "phone", "phone_work", "title", "title", "companyId", "account_id")),
            CrmObject.COMPANIES, new Mapping("Accounts", CrmMappings.pairs("name", "name", "domain", "website", "phone", "phone_office",
                    "industry", "industry")),
            CrmObject.LEADS, new Mapping("Leads", CrmMappings.pairs("firstName", "first_name", "lastName", "last_name", "email", "email1",
                    "phone", "phone_work", "company", "account_name", "status", "status")),
            CrmObject.OPPORTUNITIES, new Mapping("Opportunities", CrmMappings.pairs("name", "name", "amount", "amount", "stage", "sales_stage",
                    "closeDate", "date_closed", "companyId", "account_id")),
            CrmObject.TASKS, new Mapping("Tasks", CrmMappings.pairs("subject", "name", "status", "status", "dueDate", "date_due",
                    "contactId", "contact_id", "companyId", "parent_id", "body", "description")),
            CrmObject.NOTES, new Mapping("Notes", CrmMappings.pairs("title", "name", "body", "description", "contactId", "contact_id",
                    "companyId", "parent_id")));


    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    @Override
    public CrmPage list(CrmHttp http, CrmObject type, String next, int limit) throws CrmException, IOException {
        Mapping m = MAPPINGS.get(type);
        int offset = next == null ? 0 : parseOffset(next);
        Map<String, Object> body = object(http, http.send("GET", "/" + m.module() + "?max_num=" + limit + "&offset=" + offset
                + "&fields=" + URLEncoder.encode(m.fieldList(), StandardCharsets.UTF_8), Map.of(), null));
        Object nextOffset = body.get("next_offset");
        String continuation = nextOffset instanceof Number n && n.intValue() >= 0 ? Integer.toString(n.intValue()) : null;
        return new CrmPage(records(type, m, body), continuation);
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
        Mapping m = MAPPINGS.get(type);
        return record(type, m, object(http, http.send("GET", "/" + m.module() + "/" + enc(id), Map.of(), null)));
    }

    @Override
    public CrmRecord create(CrmHttp http, CrmObject type, Map<String, Object> fields) throws CrmException, IOException {
        Mapping m = MAPPINGS.get(type);
        return record(type, m, object(http, http.send("POST", "/" + m.module(), JSON, http.write(remote(m, fields)))));
    }

    @Override
    public CrmRecord update(CrmHttp http, CrmObject type, String id, Map<String, Object> fields) throws CrmException, IOException {
        Mapping m = MAPPINGS.get(type);
        return record(type, m, object(http, http.send("PUT", "/" + m.module() + "/" + enc(id), JSON, http.write(remote(m, fields)))));
    }

    @Override
    public List<CrmRecord> findPeople(CrmHttp http, String email) throws CrmException, IOException {
        List<CrmRecord> people = new ArrayList<>();
        for (CrmObject type : List.of(CrmObject.CONTACTS, CrmObject.LEADS)) {
            Mapping m = MAPPINGS.get(type);
            Map<String, Object> filter = Map.of("filter", List.of(Map.of("email", Map.of("$equals", email))),
                    "fields", m.fieldList(), "max_num", 100);
            people.addAll(records(type, m, object(http, http.send("POST", "/" + m.module() + "/filter", JSON, http.write(filter)))));
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
        Map<String, Object> created = object(http, http.send("POST", "/" + module, JSON, http.write(fields)));
        Map<String, Object> unified = new LinkedHashMap<>();
        unified.put("subject", a.subject());
        unified.put("contactId", a.contactIds().isEmpty() ? null : a.contactIds().get(0));
        unified.put("companyId", a.companyId());
        return new CrmRecord(String.valueOf(created.get("id")), CrmObject.TASKS, unified, created);
    }

    private static Map<String, Object> remote(Mapping m, Map<String, Object> unified) {
        return CrmMappings.toRemote(m.fields(), unified);
    }

    private static List<CrmRecord> records(CrmObject type, Mapping m, Map<String, Object> body) {
        return CrmMappings.objects(body.get(RECORDS)).stream().map(r -> record(type, m, r)).toList();
    }

    private static CrmRecord record(CrmObject type, Mapping m, Map<String, Object> remote) {
        return new CrmRecord(String.valueOf(remote.get("id")), type, CrmMappings.fromRemote(m.fields(), remote), remote);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---- responses: {"error":"<label>","error_message":"..."}

    private static Map<String, Object> object(CrmHttp http, Upstream.Response r) throws CrmException, IOException {
        if (r.ok()) {
            return http.parseObject(r.body());
        }
        String label = "";
        String message = "HTTP " + r.status();
        try {
            Map<String, Object> e = http.parseObject(r.body());
            label = String.valueOf(e.get("error"));
            message = label + ": " + e.get("error_message");
        } catch (IOException | RuntimeException notJson) {
            // keep the status as the message
        }
        CrmException.Kind kind = CrmException.Kind.ofStatus(r.status());
        throw new CrmException(kind, r.status(), message, kind == CrmException.Kind.RATE_LIMITED ? Duration.ofSeconds(30) : null);
    }
}
