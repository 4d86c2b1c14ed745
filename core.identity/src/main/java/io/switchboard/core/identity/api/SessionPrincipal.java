package io.switchboard.core.identity.api;

/**
 * The signed-in mailbox user behind a request.
 *
 * @param appId the app the session belongs to
 * @param userId Switchboard's id of the user (stable across identity-token refreshes and email changes)
 * @param organizationId the user's organization (Entra tenant, Google Workspace domain), or {@code null}
 * @param sessionId the session
 */
public record SessionPrincipal(String appId, String userId, String organizationId, String sessionId) {}
