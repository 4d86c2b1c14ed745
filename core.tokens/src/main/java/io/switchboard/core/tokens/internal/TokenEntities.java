package io.switchboard.core.tokens.internal;

import java.sql.Timestamp;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** The rows of core.tokens (see V5__accounts.sql). Secret columns hold sealed values only. */
final class TokenEntities {
    private TokenEntities() {}

    @Entity(name = "AppConnector")
    @Table(name = "app_connector")
    public static class AppConnectorEntity {
        @Id @Column(name = "id") String id;
        @Column(name = "app_id") String appId;
        @Column(name = "connector_id") String connectorId;
        @Column(name = "client_id") String clientId;
        @Column(name = "client_secret") String clientSecret;
        @Column(name = "scopes") String scopes;
        @Column(name = "options") String options;
        @Column(name = "created_at") Timestamp createdAt;
        @Column(name = "updated_at") Timestamp updatedAt;
    }

    @Entity(name = "ConnectTicket")
    @Table(name = "connect_ticket")
    public static class TicketEntity {
        @Id @Column(name = "ticket_hash") String ticketHash;
        @Column(name = "app_id") String appId;
        @Column(name = "user_id") String userId;
        @Column(name = "connector_id") String connectorId;
        @Column(name = "expires_at") Timestamp expiresAt;
        @Column(name = "used_at") Timestamp usedAt;
    }

    @Entity(name = "ConnectFlow")
    @Table(name = "connect_flow")
    public static class FlowEntity {
        @Id @Column(name = "state_hash") String stateHash;
        @Column(name = "app_id") String appId;
        @Column(name = "user_id") String userId;
        @Column(name = "connector_id") String connectorId;
        @Column(name = "binding_hash") String bindingHash;
        @Column(name = "verifier") String verifier;
        @Column(name = "token_url") String tokenUrl;
        @Column(name = "redirect_uri") String redirectUri;
        @Column(name = "return_url") String returnUrl;
        @Column(name = "expires_at") Timestamp expiresAt;
        @Column(name = "used_at") Timestamp usedAt;
    }

    @Entity(name = "Account")
    @Table(name = "account")
    public static class AccountEntity {
        @Id @Column(name = "id") String id;
        @Column(name = "app_id") String appId;
        @Column(name = "user_id") String userId;
        @Column(name = "connector_id") String connectorId;
        @Column(name = "external_id") String externalId;
        @Column(name = "display_name") String displayName;
        @Column(name = "base_url") String baseUrl;
        @Column(name = "token_url") String tokenUrl;
        @Column(name = "instance_url") String instanceUrl;
        @Column(name = "scopes") String scopes;
        @Column(name = "attributes") String attributes;
        @Column(name = "status") String status;
        @Column(name = "access_token") String accessToken;
        @Column(name = "refresh_token") String refreshToken;
        @Column(name = "expires_at") Timestamp expiresAt;
        @Column(name = "token_version") long tokenVersion;
        @Column(name = "failures") int failures;
        @Column(name = "cooldown_until") Timestamp cooldownUntil;
        @Column(name = "last_error") String lastError;
        @Column(name = "created_at") Timestamp createdAt;
        @Column(name = "updated_at") Timestamp updatedAt;
    }
}
