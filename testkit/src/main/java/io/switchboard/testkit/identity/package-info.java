/**
 * Local identity providers that serve discovery documents and JWKS the way Microsoft Entra ID,
 * Google and generic OpenID Connect issuers do, mint tokens, and misbehave on demand.
 */
@Export
@Version("0.1.0")
package io.switchboard.testkit.identity;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
