package io.switchboard.connector.salesforce.internal;

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
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The unified CRM over Salesforce's REST API: Contact, Account (companies), Lead, Opportunity,
 * Task and Note; lists are SOQL queries paged with {@code nextRecordsUrl}; "who is this sender"
 * queries Contacts and Leads by email; an email is logged as a completed Task of subtype Email
 * (a meeting as an Event) related to the person ({@code WhoId}) and company ({@code WhatId}).
 */
@Component(service = CrmConnector.class, property = Connector.ID + "=salesforce")
public class SalesforceCrm implements CrmConnector {
    private static final String RECORDS = "records";

    /** A unified type: its sObject and the unified-to-Salesforce field names. */
    private record Mapping(String sobject, Map<String, String> fields) {}

    private static final Map<CrmObject, Mapping> MAPPINGS = Map.of(
            CrmObject.CONTACTS, new Mapping("Contact", CrmMappings.pairs("firstName", "FirstName", "lastName", "LastName", "email", "Email",
                    "phone", "Phone", "title", "Title", "companyId", "AccountId")),
            CrmObject.COMPANIES, new Mapping("Account", CrmMappings.pairs("name", "Name", "domain", "Website", "phone", "Phone",
                    "industry", "Industry")),
            CrmObject.LEADS, new Mapping("Lead", CrmMappings.pairs("firstName", "FirstName", "lastName", "LastName", "email", "Email",
                    "phone", "Phone", "company", "Company", "status", "Status")),
            CrmObject.OPPORTUNITIES, new Mapping("Opportunity", CrmMappings.pairs("name", "Name", "amount", "Amount", "stage", "StageName",
                    "closeDate", "CloseDate", "companyId", "AccountId")),
            CrmObject.TASKS, new Mapping("Task", CrmMappings.pairs("subject", "Subject", "status", "Status", "dueDate", "ActivityDate",
                    "contactId", "WhoId", "companyId", "WhatId", "body", "Description")),
            CrmObject.NOTES, new Mapping("Note", CrmMappings.pairs("title", "Title", "body", "Body", "contactId", "ParentId",
                    "companyId", "ParentId")));


    @Override
    public CrmPage list(CrmHttp http, CrmObject type, String next, int limit) throws CrmException, IOException {
        Mapping m = MAPPINGS.get(type);
        String path = next != null ? relative(http, next)
                : "/query?q=" + URLEncoder.encode("SELECT " + distinct(m) + " FROM " + m.sobject(), StandardCharsets.UTF_8);
        Map<String, Object> body = object(http, http.send("GET", path, Map.of("Sforce-Query-Options", "batchSize=" + limit), null));
        return new CrmPage(records(type, m, body), body.get("nextRecordsUrl") instanceof String s ? s : null);
    }

    @Override
    public CrmRecord get(CrmHttp http, CrmObject type, String id) throws CrmException, IOException {
        Mapping m = MAPPINGS.get(type);
        return record(type, m, object(http, http.send("GET", "/sobjects/" + m.sobject() + "/" + id, Map.of(), null)));
    }

    @Override
    public CrmRecord create(CrmHttp http, CrmObject type, Map<String, Object> fields) throws CrmException, IOException {
        Mapping m = MAPPINGS.get(type);
        Map<String, Object> created = object(http, http.send("POST", "/sobjects/" + m.sobject(),
                Map.of("Content-Type", "application/json"), http.write(remote(m, fields))));
        return get(http, type, String.valueOf(created.get("id")));
    }

    @Override
    public CrmRecord update(CrmHttp http, CrmObject type, String id, Map<String, Object> fields) throws CrmException, IOException {
        Mapping m = MAPPINGS.get(type);
        check(http, http.send("PATCH", "/sobjects/" + m.sobject() + "/" + id, Map.of("Content-Type", "application/json"),
                http.write(remote(m, fields))));
        return get(http, type, id);
    }

    @Override
    public List<CrmRecord> findPeople(CrmHttp http, String email) throws CrmException, IOException {
        List<CrmRecord> people = new ArrayList<>();
        for (CrmObject type : List.of(CrmObject.CONTACTS, CrmObject.LEADS)) {
            Mapping m = MAPPINGS.get(type);
            String soql = "SELECT " + distinct(m) + " FROM " + m.sobject() + " WHERE Email = '" + soqlString(email) + "'";
            Map<String, Object> body = object(http, http.send("GET", "/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8),
                    Map.of(), null));
            people.addAll(records(type, m, body));
        }
        return people;
    }

    @Override
    public CrmRecord logActivity(CrmHttp http, EmailActivity a) throws CrmException, IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        String who = a.contactIds().isEmpty() ? null : a.contactIds().get(0);
        String description = a.bodyText() != null ? a.bodyText() : a.bodyHtml();
        String header = "From: " + (a.from() == null ? "" : a.from()) + "\nTo: " + String.join(", ", a.to())
                + (a.cc().isEmpty() ? "" : "\nCc: " + String.join(", ", a.cc())) + "\nDirection: " + a.direction() + "\n\n";
        fields.put("Subject", a.subject());
        fields.put("Description", header + (description == null ? "" : description));
        if (who != null) {
            fields.put("WhoId", who);
        }
        if (a.companyId() != null) {
            fields.put("WhatId", a.companyId());
        }
        String sobject;
        if ("meeting".equals(a.kind())) {
            sobject = "Event";
            fields.put("StartDateTime", a.date().toString());
            fields.put("EndDateTime", a.date().plus(Duration.ofMinutes(30)).toString());
        } else {
            sobject = "Task";
            fields.put("TaskSubtype", "Email");
            fields.put("Status", "Completed");
            fields.put("ActivityDate", a.date().toString().substring(0, 10));
        }
        Map<String, Object> created = object(http, http.send("POST", "/sobjects/" + sobject, Map.of("Content-Type", "application/json"),
                http.write(fields)));
        Map<String, Object> unified = new LinkedHashMap<>();
        unified.put("subject", a.subject());
        unified.put("contactId", who);
        unified.put("companyId", a.companyId());
        return new CrmRecord(String.valueOf(created.get("id")), CrmObject.TASKS, unified, created);
    }

    // ---- mapping

    private static String distinct(Mapping m) {
        return "Id, " + String.join(", ", new java.util.LinkedHashSet<>(m.fields().values()));
    }

    private static Map<String, Object> remote(Mapping m, Map<String, Object> unified) {
        return CrmMappings.toRemote(m.fields(), unified);
    }

    private static List<CrmRecord> records(CrmObject type, Mapping m, Map<String, Object> body) {
        return CrmMappings.objects(body.get(RECORDS)).stream().map(r -> record(type, m, r)).toList();
    }

    private static CrmRecord record(CrmObject type, Mapping m, Map<String, Object> remote) {
        return new CrmRecord(String.valueOf(remote.get("Id")), type, CrmMappings.fromRemote(m.fields(), remote), remote);
    }

    /** SOQL string literal escaping: backslash and quote. */
    static String soqlString(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }

    /** A nextRecordsUrl is an absolute path on the instance; the CRM HTTP takes paths below the base URL. */
    private static String relative(CrmHttp http, String next) throws CrmException {
        String basePath = URI.create(http.baseUrl()).getRawPath();
        if (!next.startsWith(basePath + "/")) {
            throw new CrmException(CrmException.Kind.VALIDATION, 400, "the cursor does not belong to this account", null);
        }
        return next.substring(basePath.length());
    }

    // ---- responses

    private static Map<String, Object> object(CrmHttp http, Upstream.Response r) throws CrmException, IOException {
        check(http, r);
        return http.parseObject(r.body());
    }

    private static void check(CrmHttp http, Upstream.Response r) throws CrmException, IOException {
        if (r.ok()) {
            return;
        }
        String code = "";
        String message = "HTTP " + r.status();
        try {
            if (http.parse(r.body()) instanceof List<?> errors && !errors.isEmpty() && errors.get(0) instanceof Map<?, ?> e) {
                code = String.valueOf(e.get("errorCode"));
                message = code + ": " + e.get("message");
            }
        } catch (IOException | RuntimeException notJson) {
            // keep the status as the message
        }
        CrmException.Kind kind;
        if (r.status() == 404 || code.equals("NOT_FOUND") || code.equals("INVALID_CROSS_REFERENCE_KEY")) {
            kind = CrmException.Kind.NOT_FOUND;
        } else if (r.status() == 401) {
            kind = CrmException.Kind.UNAUTHORIZED;
        } else if (code.equals("REQUEST_LIMIT_EXCEEDED") || r.status() == 429) {
            kind = CrmException.Kind.RATE_LIMITED;
        } else if (r.status() >= 400 && r.status() < 500) {
            kind = CrmException.Kind.VALIDATION;
        } else {
            kind = CrmException.Kind.UPSTREAM;
        }
        throw new CrmException(kind, r.status(), message, kind == CrmException.Kind.RATE_LIMITED ? Duration.ofSeconds(60) : null);
    }
}
