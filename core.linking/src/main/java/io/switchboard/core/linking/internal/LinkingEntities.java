package io.switchboard.core.linking.internal;

import java.sql.Timestamp;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** The rows of account linking (see V5__accounts.sql). Secret columns hold sealed values only. */
final class LinkingEntities {
    private LinkingEntities() {}

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
        @Column(name = "user_label") String userLabel;
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
        @Column(name = "attempts") int attempts;
        @Column(name = "user_label") String userLabel;
    }
}
