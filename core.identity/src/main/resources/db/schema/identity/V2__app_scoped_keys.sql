-- Organizations and users are keyed within their app too, so that other bundles' rows can
-- reference "this organization (or user) of this app" and never one of another app.
ALTER TABLE organization ADD CONSTRAINT organization_in_app UNIQUE (app_id, id);
ALTER TABLE app_user ADD CONSTRAINT app_user_in_app UNIQUE (app_id, id);
