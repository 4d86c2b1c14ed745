/** A webhook receiver that checks Standard Webhooks signatures with its own code. */
@Export
@Version("0.1.0")
package io.switchboard.testkit.webhooks;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
