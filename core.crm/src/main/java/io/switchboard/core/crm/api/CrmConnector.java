package io.switchboard.core.crm.api;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The unified CRM operations of one provider. Registered as a service with the
 * {@code connector.id} of its {@link io.switchboard.core.api.connector.Connector}. Methods throw
 * {@link CrmException} for the provider's refusals (the connector classifies them) and
 * {@link IOException} when the provider cannot be reached. An object type the CRM does not have
 * throws {@code CrmException} of kind {@code NOT_SUPPORTED}.
 */
@ConsumerType
public interface CrmConnector {

    /** The provider's objects, fields, records and errors, read by the engine behind {@link CrmHttp}. */
    CrmShape shape();

    /** A page of records; {@code next} is the {@link CrmPage#next()} of the previous page or {@code null}. */
    CrmPage list(CrmHttp http, CrmObject type, String next, int limit) throws CrmException, IOException;

    CrmRecord get(CrmHttp http, CrmObject type, String id) throws CrmException, IOException;

    /** Creates a record from unified fields (unknown names are ignored) and returns it as stored. */
    CrmRecord create(CrmHttp http, CrmObject type, Map<String, Object> fields) throws CrmException, IOException;

    /** Changes the given unified fields and returns the record as stored. */
    CrmRecord update(CrmHttp http, CrmObject type, String id, Map<String, Object> fields) throws CrmException, IOException;

    /** The contacts and leads whose email address is {@code email} (case-insensitive): "who is this sender". */
    List<CrmRecord> findPeople(CrmHttp http, String email) throws CrmException, IOException;

    /** Logs an email or meeting as the CRM's native activity; returns the activity's record. */
    CrmRecord logActivity(CrmHttp http, EmailActivity activity) throws CrmException, IOException;
}
