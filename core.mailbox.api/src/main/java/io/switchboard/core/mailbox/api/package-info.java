/**
 * The mailbox connector SPI: what a connector bundle implements so that Switchboard's unified
 * mailbox API ({@code /v1/mail/{account}/...}) reads and sends one provider's mail (Microsoft
 * Graph, Gmail; an IMAP/SMTP or EWS connector later as another bundle), and its calendar API
 * ({@code /v1/calendar/{account}/...}) reads and writes its calendars
 * ({@link io.switchboard.core.mailbox.api.CalendarConnector}).
 *
 * <p>A bundle registers a {@link io.switchboard.core.mailbox.api.MailboxConnector} service with the
 * {@code connector.id} of its {@link io.switchboard.core.api.connector.Connector}. Each operation gets a
 * {@link io.switchboard.core.mailbox.api.MailboxHttp} for one linked account (its token, its budget,
 * one refresh and retry on 401) and answers in the unified records of this package; the
 * provider's refusals are {@link io.switchboard.core.api.connector.ProviderRefusal}s.
 */
@Export
@Version("1.5.0")
package io.switchboard.core.mailbox.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
