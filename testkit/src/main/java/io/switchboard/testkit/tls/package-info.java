/** TLS for fakes: a self-signed certificate for 127.0.0.1, and a provider API that offers HTTP/2 by ALPN. */
@Export
@Version("0.1.0")
package io.switchboard.testkit.tls;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
