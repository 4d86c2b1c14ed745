package io.switchboard.core.crm.api;

import java.util.List;

/**
 * One page of records. {@code next} is the connector's own continuation (a Salesforce
 * {@code nextRecordsUrl}, a HubSpot {@code after}, a Sugar {@code next_offset}), or {@code null}
 * on the last page; Switchboard wraps it into an opaque cursor.
 */
public record CrmPage(List<CrmRecord> records, String next) {
    public CrmPage {
        records = List.copyOf(records);
    }
}
