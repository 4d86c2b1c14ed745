package io.switchboard.core.api.connector;

/** How an account of a connector is linked. */
public enum AuthKind {
    /** OAuth 2.0 authorization code grant (RFC 6749 §4.1). */
    OAUTH2_CODE,
    /** Authorization code grant with PKCE S256 (RFC 7636): use it wherever the provider supports it. */
    OAUTH2_CODE_PKCE,
    /**
     * The resource owner password grant, for providers without a third-party code flow
     * (SugarCRM): the user types instance URL, username and password once into a page Switchboard
     * serves; the password is exchanged for tokens and never stored.
     */
    PASSWORD_GRANT
}
