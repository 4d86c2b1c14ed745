package io.switchboard.core.crm.api;

import io.switchboard.core.api.connector.ProviderRefusal;
import java.time.Duration;

/** A CRM's refusal, classified ({@link ProviderRefusal}). */
public class CrmException extends ProviderRefusal {
    private static final long serialVersionUID = 2L;

    public CrmException(Kind kind, int upstreamStatus, String providerMessage, Duration retryAfter) {
        super(kind, upstreamStatus, providerMessage, retryAfter);
    }
}
