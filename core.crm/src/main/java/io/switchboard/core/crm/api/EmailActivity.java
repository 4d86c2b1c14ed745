package io.switchboard.core.crm.api;

import java.time.Instant;
import java.util.List;

/**
 * An email or meeting to log as the CRM's native activity.
 *
 * @param kind {@code email} or {@code meeting}
 * @param direction {@code inbound} or {@code outbound}
 * @param contactIds the CRM ids of the people it relates to (contacts or leads)
 * @param companyId the CRM id of the company it relates to, or {@code null}
 */
public record EmailActivity(String kind, String subject, String bodyText, String bodyHtml, String from, List<String> to,
                            List<String> cc, Instant date, String direction, List<String> contactIds, String companyId) {
    public EmailActivity {
        to = to == null ? List.of() : List.copyOf(to);
        cc = cc == null ? List.of() : List.copyOf(cc);
        contactIds = contactIds == null ? List.of() : List.copyOf(contactIds);
    }
}
