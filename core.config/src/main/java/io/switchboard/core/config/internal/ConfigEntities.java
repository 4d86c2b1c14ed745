package io.switchboard.core.config.internal;

import java.sql.Timestamp;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** The configuration tables (see V3__config.sql). Private to this bundle. */
final class ConfigEntities {
    private ConfigEntities() {}

    @Entity(name = "ConfigDocument")
    @Table(name = "config_document")
    public static class DocumentEntity {
        @Id @Column(name = "id") String id;
        @Column(name = "app_id") String appId;
        @Column(name = "scope") String scope;
        @Column(name = "owner_id") String ownerId;
        @Column(name = "doc_key") String key;
        @Column(name = "body") String body;
        @Column(name = "locked") String locked;
        @Column(name = "version") long version;
        @Column(name = "updated_at") Timestamp updatedAt;
        @Column(name = "updated_by") String updatedBy;
    }

    @Entity(name = "OrgAdmin")
    @Table(name = "org_admin")
    public static class OrgAdminEntity {
        @Id @Column(name = "id") String id;
        @Column(name = "app_id") String appId;
        @Column(name = "organization_id") String organizationId;
        @Column(name = "user_id") String userId;
        @Column(name = "created_at") Timestamp createdAt;
    }

    @Entity(name = "ConfigSchema")
    @Table(name = "config_schema")
    public static class SchemaEntity {
        @Id @Column(name = "id") String id;
        @Column(name = "app_id") String appId;
        @Column(name = "doc_key") String key;
        @Column(name = "body") String body;
        @Column(name = "updated_at") Timestamp updatedAt;
    }
}
