/**
 * A faithful fake of Microsoft Graph's mail (folders, messages with default and immutable ids,
 * sending, replies, forwards, drafts, delta queries, attachments and MIME content, the mailbox's
 * 4-at-once limit and throttling), accepting the tokens of testkit's {@code FakeMicrosoftLogin};
 * the host testkit.calendar's Graph calendars extend. Gmail's fake is testkit.gmail. Each fact a
 * client must handle has a test.
 */
@Export
@Version("3.0.0")
package io.switchboard.testkit.mailbox;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
