/**
 * The connector conformance suites: the behaviour every CRM connector ({@link
 * io.switchboard.testkit.conformance.CrmConformance}) and every mailbox connector ({@link
 * io.switchboard.testkit.conformance.MailboxConformance}), run against a faithful fake of its
 * provider inside a running Switchboard, must show through the public API.
 */
@Export
@Version("1.1.0")
package io.switchboard.testkit.conformance;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
