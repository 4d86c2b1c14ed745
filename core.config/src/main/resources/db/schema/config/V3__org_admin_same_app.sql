-- An organization admin's organization and user belong to the grant's app (issue 18 item 11):
-- grants that pointed at another app's organization or user are removed, and the keys now say so.
DELETE FROM org_admin WHERE NOT EXISTS (
        SELECT 1 FROM organization o WHERE o.id = org_admin.organization_id AND o.app_id = org_admin.app_id)
    OR NOT EXISTS (
        SELECT 1 FROM app_user u WHERE u.id = org_admin.user_id AND u.app_id = org_admin.app_id);
ALTER TABLE org_admin ADD CONSTRAINT org_admin_organization_in_app
    FOREIGN KEY (app_id, organization_id) REFERENCES organization (app_id, id) ON DELETE CASCADE;
ALTER TABLE org_admin ADD CONSTRAINT org_admin_user_in_app
    FOREIGN KEY (app_id, user_id) REFERENCES app_user (app_id, id) ON DELETE CASCADE;
