package io.switchboard.core.mailsync.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.connector.AccessToken;
import io.switchboard.core.api.connector.ProviderRefusal;
import io.switchboard.core.api.events.Events;
import io.switchboard.core.api.jobs.AccountUnusable;
import io.switchboard.core.api.jobs.JobContext;
import io.switchboard.core.api.jobs.JobRequest;
import io.switchboard.core.api.jobs.JobType;
import io.switchboard.core.api.jobs.Jobs;
import io.switchboard.core.api.jobs.RetryLater;
import io.switchboard.core.mailbox.api.CalendarEvent;
import io.switchboard.core.mailbox.api.CalendarSync;
import io.switchboard.core.mailbox.api.MailMessage;
import io.switchboard.core.mailbox.api.MailboxHttp;
import io.switchboard.core.mailbox.api.MailboxPush;
import io.switchboard.core.mailbox.api.MailboxSync;
import io.switchboard.core.mailbox.api.Mailboxes;
import io.switchboard.core.mailbox.api.SyncPage;
import io.switchboard.core.mailbox.api.SyncReset;
import io.switchboard.core.store.api.SqlWork;
import io.switchboard.core.store.api.Store;
import io.switchboard.core.vault.api.ConnectorDirectory;
import io.switchboard.core.vault.api.TokenVault;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline sync of linked mailboxes: a recurring background run per synced account
 * ({@value #TYPE}, keyed by the account) reads each change stream of the mailbox from its saved
 * cursor ({@link MailboxSync}) and applies it page by page to the index ({@link SyncRows}); a
 * stream whose cursor the provider forgot is read again in a full pass. Once the account's first
 * full sync is done, every change is published as a webhook event in the transaction that
 * applies it ({@code mail.message.created|updated|deleted}, up to 100 ids each). The provider's
 * {@code Retry-After} pauses the account's runs (and only its); a dead grant parks them until the
 * user links the account again. At most one run per account at a time: the recurring one and a
 * wake-up ({@link #wake}) share the account's slot.
 */
@Component(service = {MailSync.class, JobType.class}, configurationPid = MailSyncConfig.PID)
public class MailSync implements JobType {
    static final String TYPE = "mailbox.sync";
    /** The change events of messages and of events: created, updated, deleted. */
    static final List<String> MESSAGE_EVENTS = List.of("mail.message.created", "mail.message.updated", "mail.message.deleted");
    static final List<String> EVENT_EVENTS = List.of("calendar.event.created", "calendar.event.updated", "calendar.event.deleted");
    /** The keys of wake-up runs after the account's id: two, so that one can wait while the other runs. */
    private static final List<String> WAKE_KEYS = List.of(".now", ".again");
    /** The prefix of a calendar's stream (the rest is the calendar's id). */
    static final String CALENDAR = "calendar:";
    private static final Logger LOG = LoggerFactory.getLogger(MailSync.class);
    private static final int EVENT_IDS = 100;
    private static final Duration DEFAULT_PAUSE = Duration.ofSeconds(30);

    private final SyncRows rows;
    private final DataSource dataSource;
    private final TokenVault vault;
    private final Mailboxes mailboxes;
    private final Jobs jobs;
    private final SyncPush push;
    private final SyncBodies bodies;
    private final ConnectorDirectory directory;
    private final int pastDays;
    private final int futureDays;
    private volatile Events events;

    @Activate
    public MailSync(@Reference(target = "(&(osgi.jndi.service.name=" + Store.DATA_SOURCE_NAME + ")(" + Store.SCHEMAS_PROPERTY + "=mailsync))")
                    DataSource dataSource, @Reference TokenVault vault, @Reference Mailboxes mailboxes,
                    @Reference Jobs jobs, @Reference SyncBodies bodies, @Reference ConnectorDirectory directory, MailSyncConfig config) {
        this.dataSource = dataSource;
        this.bodies = bodies;
        this.directory = directory;
        this.rows = new SyncRows(dataSource);
        this.vault = vault;
        this.mailboxes = mailboxes;
        this.jobs = jobs;
        this.pastDays = Math.max(0, config.calendar_past_days());
        this.futureDays = Math.max(1, config.calendar_future_days());
        this.push = new SyncPush(dataSource, config.push_url(), Duration.ofMinutes(Math.max(45, config.push_minutes())),
                Duration.ofHours(Math.max(1, config.push_renew_hours())));
        try { // the index's retention, hourly: the same key every time, so scheduled once across instances and restarts
            jobs.schedule(JobRequest.of(SyncRetention.NAME, "hourly").every(Duration.ofHours(1)));
        } catch (RuntimeException e) {
            LOG.warn("could not schedule the mail index's retention: {}", e.toString());
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindEvents(Events value) {
        this.events = value;
    }

    void unbindEvents(Events value) {
        if (this.events == value) {
            this.events = null;
        }
    }

    SyncRows rows() {
        return rows;
    }

    SyncPush push() {
        return push;
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public int concurrencyLimit() {
        return 1;
    }

    /**
     * Starts syncing an account of the app, or changes what it syncs and how often; a first run
     * (or one for a kind switched on) is due at once.
     *
     * @param mail sync its mail ({@code null}: when the connector can)
     * @param calendar sync its calendars ({@code null}: when the connector can)
     * @throws ProblemException 404 for an account not of the app or not a mailbox, 409
     *     {@code sync-not-supported} for a kind asked for that the connector cannot sync (or none at all)
     */
    boolean enable(String app, String accountId, Duration interval, Boolean mail, Boolean calendar) {
        TokenVault.Account account = vault.appAccount(app, accountId).orElseThrow(() -> ProblemException.notFound("no such account"));
        boolean canMail = mailboxes.sync(account.connectorId()).isPresent();
        boolean canCalendar;
        try {
            canCalendar = mailboxes.calendarSync(account.connectorId()).isPresent();
        } catch (ProblemException notACalendar) {
            canCalendar = false;
        }
        boolean syncMail = mail == null ? canMail : mail;
        boolean syncCalendar = calendar == null ? canCalendar : calendar;
        if (syncMail && !canMail || syncCalendar && !canCalendar || !syncMail && !syncCalendar) {
            throw new ProblemException(409, "sync-not-supported", "Sync not supported", "the account's connector '" + account.connectorId()
                    + "' can sync " + (canMail ? canCalendar ? "mail and calendars" : "mail only" : canCalendar ? "calendars only" : "nothing"));
        }
        var before = rows.account(accountId);
        if (before.isPresent() && before.get().intervalSeconds() != interval.toSeconds()) {
            jobs.cancel(TYPE, accountId); // scheduled again below with the new interval
        }
        JobRequest recurring = JobRequest.of(TYPE, accountId).forApp(app).forAccount(accountId).every(interval);
        boolean created = SqlWork.transaction(dataSource, "starting a mailbox sync", c -> {
            boolean isNew = rows.enable(c, app, accountId, (int) interval.toSeconds(), syncMail, syncCalendar);
            jobs.schedule(c, recurring);
            return isNew;
        });
        if (!created && (syncMail && !before.get().mail() || syncCalendar && !before.get().calendar())) {
            wake(app, accountId);
        }
        return created;
    }

    /**
     * A run for the account that starts after now (a push notification, a developer's request),
     * besides the recurring ones. A run already under way may have read past the change that
     * prompted this, so the wake-up takes one of two keys: when {@code .now} is under way (or
     * waiting), {@code .again} is scheduled, to start after it; when both exist, one of them has
     * not started yet and covers the change.
     */
    void wake(String app, String accountId) {
        for (String key : WAKE_KEYS) {
            if (jobs.schedule(JobRequest.of(TYPE, accountId + key).forApp(app).forAccount(accountId))) {
                return;
            }
        }
    }

    /** Stops syncing the account and drops its index; its push subscriptions are ended at the provider where its token still works. */
    boolean disable(String accountId) {
        endPush(accountId);
        push.drop(accountId);
        bodies.drop(accountId);
        jobs.cancel(TYPE, accountId);
        WAKE_KEYS.forEach(key -> jobs.cancel(TYPE, accountId + key));
        return rows.disable(accountId);
    }

    @Override
    public void run(JobContext job) throws Exception {
        String accountId = job.account();
        var synced = rows.account(accountId);
        if (synced.isEmpty()) {
            jobs.cancel(TYPE, job.key()); // switched off while this run was due
            return;
        }
        var account = vault.appAccount(job.app(), accountId);
        if (account.isEmpty()) {
            LOG.info("Mailbox sync of account {}: the account is gone; its index is dropped", accountId);
            disable(accountId);
            return;
        }
        String connectorId = account.get().connectorId();
        MailboxSync mail = synced.get().mail() ? installed(() -> mailboxes.sync(connectorId)) : null;
        CalendarSync calendar = synced.get().calendar() ? installed(() -> mailboxes.calendarSync(connectorId)) : null;
        if (synced.get().mail() && mail == null || synced.get().calendar() && calendar == null) {
            rows.ran(accountId, false, "the connector '" + connectorId + "' has no sync installed for what this account syncs");
            throw new RetryLater(Duration.ofSeconds(20), "no sync for connector " + connectorId); // at a start, connectors come from deploy/ later: soon
        }
        SyncRows.EventSink mailEvents = sink(job.app(), accountId, synced.get().ready(), MESSAGE_EVENTS);
        SyncRows.EventSink calendarEvents = sink(job.app(), accountId, synced.get().ready(), EVENT_EVENTS);
        try {
            AccessToken token = vault.accessToken(job.app(), accountId);
            MailboxHttp http = mailboxes.http(job.app(), token);
            List<String> mailStreams = mail == null ? List.of() : mail.streams(http);
            List<String> calendarStreams = calendar == null ? List.of() : calendar.streams(http).stream().map(id -> CALENDAR + id).toList();
            Map<String, SyncRows.Stream> known = rows.streams(accountId);
            for (String gone : known.keySet()) {
                if (!mailStreams.contains(gone) && !calendarStreams.contains(gone)) {
                    boolean isCalendar = gone.startsWith(CALENDAR);
                    rows.dropStream(isCalendar ? SyncRows.Kind.EVENTS : SyncRows.Kind.MESSAGES, accountId, gone,
                            isCalendar ? calendarEvents : mailEvents);
                }
            }
            SyncBodies.Plan kept = mail == null ? null : bodies.plan(job.app(), accountId, options(job.app(), connectorId),
                    mailboxes.connector(connectorId), http);
            for (String stream : mailStreams) { // other folders' bodies kept than the last run's: a full pass fills them
                SyncRows.Stream state = known.containsKey(stream) && !kept.changed ? known.get(stream) : rows.startFullPass(accountId, stream);
                round(accountId, SyncRows.Kind.MESSAGES, state, cursor -> kept.prepare(mail.page(http, stream, cursor)),
                        (MailMessage m) -> SyncRecords.incoming(m.id(), mailboxes.record(m)), kept.around(mailEvents));
            }
            Instant from = LocalDate.now(ZoneOffset.UTC).minusDays(pastDays).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant to = from.plus(Duration.ofDays(pastDays + futureDays));
            for (String stream : calendarStreams) {
                SyncRows.Stream state = known.containsKey(stream) ? known.get(stream) : rows.startFullPass(accountId, stream);
                String id = stream.substring(CALENDAR.length());
                round(accountId, SyncRows.Kind.EVENTS, state, cursor -> calendar.page(http, id, cursor, from, to),
                        (CalendarEvent e) -> SyncRecords.incoming(e.id(), mailboxes.record(e)), calendarEvents);
            }
            MailboxPush pushes = push.enabled() ? installed(() -> mailboxes.push(connectorId)) : null;
            if (pushes != null) {
                push.keep(job.app(), accountId, connectorId, http, pushes, mail != null, calendar != null);
            }
            rows.ran(accountId, true, null);
        } catch (ProviderRefusal e) {
            rows.ran(accountId, false, e.kind() + ": " + e.getMessage());
            throw switch (e.kind()) {
                case RATE_LIMITED -> new RetryLater(e.retryAfter() == null ? DEFAULT_PAUSE : e.retryAfter(), "the mailbox asked for a pause");
                case UNAUTHORIZED -> new AccountUnusable("the mailbox refused the account's token after a refresh");
                default -> new IllegalStateException("the mailbox refused: " + e.kind() + " " + e.getMessage());
            };
        } catch (ProblemException e) {
            rows.ran(accountId, false, e.type() + ": " + e.getMessage());
            if (e.status() == 429) {
                String wait = e.headers().get("Retry-After");
                throw new RetryLater(wait != null && wait.matches("\\d{1,6}") ? Duration.ofSeconds(Long.parseLong(wait)) : DEFAULT_PAUSE,
                        "the account's call budget is spent");
            }
            if ("reauth-required".equals(e.type())) {
                throw new AccountUnusable("the account needs its user to link it again");
            }
            throw e;
        } catch (IOException e) {
            rows.ran(accountId, false, "the mailbox could not be reached: " + e);
            throw e;
        }
    }

    /**
     * The app's own default interval for the account's connector (its connector option
     * {@code sync.interval.seconds}), when it set one: the interval of a sync switched on without one.
     */
    java.util.OptionalInt appInterval(String app, String accountId) {
        String value = vault.appAccount(app, accountId).map(a -> options(app, a.connectorId()).get("sync.interval.seconds")).orElse(null);
        return value != null && value.matches("\\d{1,6}") ? java.util.OptionalInt.of(Integer.parseInt(value)) : java.util.OptionalInt.empty();
    }

    private void endPush(String accountId) {
        if (push.rows(accountId).isEmpty()) {
            return;
        }
        try {
            String app = rows.account(accountId).map(SyncRows.Account::appId).orElseThrow();
            TokenVault.Account account = vault.appAccount(app, accountId).orElseThrow();
            MailboxPush pushes = installed(() -> mailboxes.push(account.connectorId()));
            if (pushes != null) {
                push.end(accountId, mailboxes.http(app, vault.accessToken(app, accountId)), pushes);
            }
        } catch (RuntimeException e) { // no account or token any more: the subscriptions lapse on their own
            LOG.info("Mailbox sync of account {}: its push subscriptions are left to lapse ({})", accountId, e.toString());
        }
    }

    /** The app's options for the connector (none when the app no longer configures it). */
    private Map<String, String> options(String app, String connectorId) {
        try {
            return directory.settings(app, connectorId).options();
        } catch (ProblemException notEnabled) {
            return Map.of();
        }
    }

    /** The sync a connector has installed now, or {@code null} (none, or the connector has no such kind). */
    private static <S> S installed(java.util.function.Supplier<java.util.Optional<S>> sync) {
        try {
            return sync.get().orElse(null);
        } catch (ProblemException notThatKind) {
            return null;
        }
    }

    /** One page of a stream's round. */
    @FunctionalInterface
    private interface Pager<T> {
        SyncPage<T> page(String cursor) throws SyncReset, ProviderRefusal, IOException;
    }

    /** Reads one stream's round to its end, page by page; a forgotten cursor (or a moved window) starts a full pass. */
    private <T> void round(String accountId, SyncRows.Kind kind, SyncRows.Stream state, Pager<T> pager,
                           java.util.function.Function<T, SyncRows.Incoming> incoming, SyncRows.EventSink sink) throws ProviderRefusal, IOException {
        int resets = 0;
        while (true) {
            SyncPage<T> page;
            try {
                page = pager.page(state.cursor());
            } catch (SyncReset e) {
                if (++resets > 2) {
                    throw new IOException("the provider refused every cursor of stream " + state.stream() + ": " + e.getMessage());
                }
                LOG.info("Mailbox sync of account {}: a stream needs a full pass ({})", accountId, e.getMessage());
                state = rows.startFullPass(accountId, state.stream());
                continue;
            }
            rows.apply(kind, accountId, state, page.changed().stream().map(incoming).toList(), page.removed(), page.cursor(), page.complete(), sink);
            state = new SyncRows.Stream(state.stream(), page.cursor(), state.fullPass() && !page.complete(), state.gen());
            if (page.complete()) {
                return;
            }
        }
    }

    /** The change events of a transaction, once the account's first full sync is done. */
    private SyncRows.EventSink sink(String app, String accountId, boolean publish, List<String> types) {
        return (tx, applied) -> {
            Events outbox = events;
            if (!publish || outbox == null || applied.isEmpty()) {
                return;
            }
            List<List<String>> ids = List.of(applied.created(), applied.updated(), applied.deleted());
            for (int k = 0; k < 3; k++) {
                for (int from = 0; from < ids.get(k).size(); from += EVENT_IDS) {
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("account", accountId);
                    data.put(types == MESSAGE_EVENTS ? "messages" : "events", List.copyOf(ids.get(k).subList(from, Math.min(ids.get(k).size(),
                            from + EVENT_IDS))));
                    outbox.publish(tx, app, types.get(k), data);
                }
            }
        };
    }
}
