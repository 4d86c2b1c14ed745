/**
 * Faithful fakes of the mailbox providers: Microsoft Graph and Gmail, each accepting the tokens of
 * testkit's OAuth fake of its provider ({@code FakeMicrosoftLogin}, {@code FakeGoogleOAuth}), and
 * each a host testkit.calendar's calendars extend. They reproduce the facts a client must handle (MAILBOX.md's
 * checklist), each with a test.
 */
@Export
@Version("2.0.0")
package io.switchboard.testkit.mailbox;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
