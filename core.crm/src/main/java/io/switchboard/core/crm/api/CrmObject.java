package io.switchboard.core.crm.api;

/** The unified object types and their path segment under {@code /v1/crm/{accountId}/}. */
public enum CrmObject {
    CONTACTS("contacts"),
    COMPANIES("companies"),
    LEADS("leads"),
    OPPORTUNITIES("opportunities"),
    TASKS("tasks"),
    NOTES("notes");

    private final String path;

    CrmObject(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    public static CrmObject ofPath(String path) {
        for (CrmObject o : values()) {
            if (o.path.equals(path)) {
                return o;
            }
        }
        return null;
    }
}
