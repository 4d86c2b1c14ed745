package io.switchboard.core.vault.internal;

import java.sql.Timestamp;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** A linked account's row (see V5__accounts.sql). The token columns hold sealed values only. */
@Entity(name = "Account")
@Table(name = "account")
public class AccountEntity {
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
