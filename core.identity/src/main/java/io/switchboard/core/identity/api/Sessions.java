package io.switchboard.core.identity.api;

import org.osgi.annotation.versioning.ProviderType;

/** Checks Switchboard session tokens. Verification needs no database read. */
@ProviderType
public interface Sessions {

    /**
     * Authenticates an {@code Authorization} header value ({@code Bearer <access token>}).
     *
     * @return the principal
     * @throws io.switchboard.core.api.ProblemException 401 with a {@code WWW-Authenticate}
     *     challenge when the header is missing, malformed, expired, revoked or forged
     */
    SessionPrincipal authenticate(String authorizationHeader);
}
