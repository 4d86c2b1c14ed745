/**
 * Writing a message as RFC 5322 text, as mailbox providers hand raw messages out (for the mailbox
 * fakes in testkit.mailbox and testkit.gmail).
 */
@Export
@Version("1.0.0")
package io.switchboard.testkit.mime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
