package io.switchboard.core.identity.internal;

import java.sql.Timestamp;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** The identity tables (see V2__identity.sql). Private to this bundle. */
final class IdentityEntities {
    private IdentityEntities() {}

    @Entity(name = "AppEntity")
    @Table(name = "app")
    public static class AppEntity {
        @Id @Column(name = "id") String id;
        @Column(name = "name") String name;
        @Column(name = "secret_hash") String secretHash;
        @Column(name = "settings") String settings;
        @Column(name = "created_at") Timestamp createdAt;
        @Column(name = "updated_at") Timestamp updatedAt;
    }

    @Entity(name = "OrganizationEntity")
    @Table(name = "organization")
    public static class OrganizationEntity {
        @Id @Column(name = "id") String id;
        @Column(name = "app_id") String appId;
        @Column(name = "kind") String kind;
        @Column(name = "external_id") String externalId;
        @Column(name = "name") String name;
        @Column(name = "created_at") Timestamp createdAt;
    }

    @Entity(name = "UserEntity")
    @Table(name = "app_user")
    public static class UserEntity {
        @Id @Column(name = "id") String id;
        @Column(name = "app_id") String appId;
        @Column(name = "issuer_key") String issuerKey;
        @Column(name = "subject") String subject;
        @Column(name = "organization_id") String organizationId;
        @Column(name = "email") String email;
        @Column(name = "display_name") String displayName;
        @Column(name = "created_at") Timestamp createdAt;
        @Column(name = "last_seen_at") Timestamp lastSeenAt;
    }

    @Entity(name = "SessionEntity")
    @Table(name = "user_session")
    public static class SessionEntity {
        @Id @Column(name = "id") String id;
        @Column(name = "app_id") String appId;
        @Column(name = "user_id") String userId;
        @Column(name = "created_at") Timestamp createdAt;
        @Column(name = "last_used_at") Timestamp lastUsedAt;
        @Column(name = "absolute_expires_at") Timestamp absoluteExpiresAt;
        @Column(name = "revoked_at") Timestamp revokedAt;
        @Column(name = "revoked_reason") String revokedReason;
    }

    @Entity(name = "RefreshTokenEntity")
    @Table(name = "session_refresh_token")
    public static class RefreshTokenEntity {
        @Id @Column(name = "token_hash") String tokenHash;
        @Column(name = "session_id") String sessionId;
        @Column(name = "issued_at") Timestamp issuedAt;
        @Column(name = "used_at") Timestamp usedAt;
    }

    @Entity(name = "SigningKeyEntity")
    @Table(name = "signing_key")
    public static class SigningKeyEntity {
        @Id @Column(name = "kid") String kid;
        @Column(name = "public_jwk") String publicJwk;
        @Column(name = "created_at") Timestamp createdAt;
        @Column(name = "expires_at") Timestamp expiresAt;
    }
}
