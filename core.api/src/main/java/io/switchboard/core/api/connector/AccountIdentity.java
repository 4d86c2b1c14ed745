package io.switchboard.core.api.connector;

import java.util.Objects;

/**
 * Who a linked account is at the provider.
 *
 * @param externalId the provider's stable id of the account (Salesforce org/user id, HubSpot
 *     {@code hub_id} + user, Sugar instance + user); re-linking the same external id updates the
 *     account instead of adding one
 * @param displayName what the add-in shows (an email address, a portal name)
 * @param baseUrl the API base URL the proxy and the CRM API call (Salesforce {@code instance_url},
 *     {@code https://api.hubapi.com}, {@code https://<sugar>/rest/v11_x})
 */
public record AccountIdentity(String externalId, String displayName, String baseUrl) {
    public AccountIdentity {
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(baseUrl, "baseUrl");
        displayName = displayName == null ? externalId : displayName;
    }
}
