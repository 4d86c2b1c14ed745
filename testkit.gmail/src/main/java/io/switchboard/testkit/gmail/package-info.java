/**
 * A faithful fake of the Gmail API, accepting the tokens of testkit's {@code FakeGoogleOAuth}:
 * labels, id-only lists, {@code full}, {@code metadata} and {@code raw} messages, sending that
 * joins a thread only as Gmail does, drafts, {@code history.list}, attachments' {@code data}
 * streamed; the host testkit.calendar's Google Calendar extends. Each fact a client must handle
 * has a test.
 */
@Export
@Version("1.0.0")
package io.switchboard.testkit.gmail;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
