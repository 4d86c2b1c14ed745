package io.switchboard.connector.salesforce.internal;

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
import java.net.URI;
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
 * The unified CRM over Salesforce's REST API: Contact, Account (companies), Lead, Opportunity,
 * Task and Note; lists are SOQL queries paged with {@code nextRecordsUrl}; "who is this sender"
 * queries Contacts and Leads by email; an email is logged as a completed Task of subtype Email
 * (a meeting as an Event) related to the person ({@code WhoId}) and company ({@code WhatId}).
 */
@Component(service = CrmConnector.class, property = Connector.ID + "=salesforce")
public class SalesforceCrm implements CrmConnector {
    private static final CrmShape SHAPE = new CrmShape(CrmShape.tables(SalesforceCrm.class, "crm-tables.properties"),
            "Id", "records", null, false,
            // [{"message","errorCode","fields"}]
            new CrmShape.Errors(true, "errorCode", "message", Set.of("NOT_FOUND", "INVALID_CROSS_REFERENCE_KEY"),
                    Set.of("REQUEST_LIMIT_EXCEEDED"), null, Duration.ofSeconds(60)));

    @Override
    public CrmShape shape() {
        return SHAPE;
    }

    @Override
    public CrmPage list(CrmHttp http, CrmObject type, String next, int limit) throws CrmException, IOException {
        Table t = http.table(type);
        String path = next != null ? relative(http, next)
                : "/query?q=" + URLEncoder.encode("SELECT " + distinct(t) + " FROM " + t.remoteName(), StandardCharsets.UTF_8);
        Map<String, Object> body = http.object(http.send("GET", path, Map.of("Sforce-Query-Options", "batchSize=" + limit), null));
        return new CrmPage(http.records(type, body), body.get("nextRecordsUrl") instanceof String s ? s : null);
    }

    @Override
    public CrmRecord get(CrmHttp http, CrmObject type, String id) throws CrmException, IOException {
        return http.record(type, http.object(http.send("GET", "/sobjects/" + http.table(type).remoteName() + "/" + id, Map.of(), null)));
    }

    @Override
    public CrmRecord create(CrmHttp http, CrmObject type, Map<String, Object> fields) throws CrmException, IOException {
        Map<String, Object> created = http.object(http.send("POST", "/sobjects/" + http.table(type).remoteName(),
                Map.of("Content-Type", "application/json"), http.write(http.toRemote(type, fields))));
        return get(http, type, String.valueOf(created.get("id")));
    }

    @Override
    public CrmRecord update(CrmHttp http, CrmObject type, String id, Map<String, Object> fields) throws CrmException, IOException {
        http.check(http.send("PATCH", "/sobjects/" + http.table(type).remoteName() + "/" + id, Map.of("Content-Type", "application/json"),
                http.write(http.toRemote(type, fields))));
        return get(http, type, id);
    }

    @Override
    public List<CrmRecord> findPeople(CrmHttp http, String email) throws CrmException, IOException {
        List<CrmRecord> people = new ArrayList<>();
        for (CrmObject type : List.of(CrmObject.CONTACTS, CrmObject.LEADS)) {
            Table t = http.table(type);
            String soql = "SELECT " + distinct(t) + " FROM " + t.remoteName() + " WHERE Email = '" + soqlString(email) + "'";
            people.addAll(http.records(type, http.object(http.send("GET", "/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8),
                    Map.of(), null))));
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
        Map<String, Object> created = http.object(http.send("POST", "/sobjects/" + sobject, Map.of("Content-Type", "application/json"),
                http.write(fields)));
        Map<String, Object> unified = new LinkedHashMap<>();
        unified.put("subject", a.subject());
        unified.put("contactId", who);
        unified.put("companyId", a.companyId());
        return new CrmRecord(String.valueOf(created.get("id")), CrmObject.TASKS, unified, created);
    }

    private static String distinct(Table t) {
        return "Id, " + String.join(", ", t.remoteFields());
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
}
