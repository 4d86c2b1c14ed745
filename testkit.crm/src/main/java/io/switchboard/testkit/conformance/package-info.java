/**
 * The connector conformance suite: the behaviour every CRM connector, run against a faithful fake
 * of its provider inside a running Switchboard, must show through the public API.
 */
@Export
@Version("1.0.0")
package io.switchboard.testkit.conformance;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
