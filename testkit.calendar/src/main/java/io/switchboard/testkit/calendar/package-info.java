/**
 * Faithful fakes of the calendar providers: Microsoft Graph's calendars and calendar view
 * ({@code new FakeGraphCalendar(graph)}) and Google Calendar ({@code new FakeGoogleCalendar(gmail)}),
 * served on testkit.mailbox's provider hosts with their authentication, limits and error shapes.
 * They reproduce the calendar facts of MAILBOX.md's checklist, each with a test.
 */
@Export
@Version("1.0.0")
package io.switchboard.testkit.calendar;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
