/**
 * The registered apps, for the other core bundles. Who is calling is resolved at the HTTP edge
 * ({@code io.switchboard.core.rest.api.Caller}); this bundle checks the credentials for it.
 */
@Export
@Version("2.0.0")
package io.switchboard.core.identity.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
