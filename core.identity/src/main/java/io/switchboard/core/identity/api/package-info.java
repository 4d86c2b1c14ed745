/**
 * Who is calling: the session principal of a request and the service that checks a session
 * token. Other core bundles (accounts, proxy, CRM, config) use {@link io.switchboard.core.identity.api.Sessions}
 * to authenticate the add-in's {@code Authorization: Bearer} header.
 */
@Export
@Version("1.2.0")
package io.switchboard.core.identity.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
