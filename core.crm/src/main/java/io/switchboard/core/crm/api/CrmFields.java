package io.switchboard.core.crm.api;

import java.util.List;
import java.util.Map;

/** The unified fields of each object type: connectors read and write exactly these names. */
public final class CrmFields {
    private CrmFields() {}

    public static final Map<CrmObject, List<String>> FIELDS = Map.of(
            CrmObject.CONTACTS, List.of("firstName", "lastName", "email", "phone", "title", "companyId"),
            CrmObject.COMPANIES, List.of("name", "domain", "phone", "industry"),
            CrmObject.LEADS, List.of("firstName", "lastName", "email", "phone", "company", "status"),
            CrmObject.OPPORTUNITIES, List.of("name", "amount", "stage", "closeDate", "companyId"),
            CrmObject.TASKS, List.of("subject", "status", "dueDate", "contactId", "companyId", "body"),
            CrmObject.NOTES, List.of("title", "body", "contactId", "companyId"));
}
