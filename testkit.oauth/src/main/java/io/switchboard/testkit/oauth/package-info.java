/** A generic OAuth 2.0 authorization server fake, the base for the CRM providers' fakes. */
@Export
@Version("0.1.0")
package io.switchboard.testkit.oauth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
