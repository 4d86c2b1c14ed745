/** A base for HTTP fakes of third-party services, on a loopback port, able to misbehave on demand. */
@Export
@Version("0.1.0")
package io.switchboard.testkit.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
