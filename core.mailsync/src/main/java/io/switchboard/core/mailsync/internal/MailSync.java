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
import io.switchboard.core.mailbox.api.MailboxHttp;
import io.switchboard.core.mailbox.api.MailboxSync;
import io.switchboard.core.mailbox.api.Mailboxes;
import io.switchboard.core.mailbox.api.SyncPage;
import io.switchboard.core.mailbox.api.SyncReset;
import io.switchboard.core.store.api.SqlWork;
import io.switchboard.core.store.api.Store;
import io.switchboard.core.vault.api.TokenVault;
import java.io.IOException;
import java.time.Duration;
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
@Component(service = {MailSync.class, JobType.class})
public class MailSync implements JobType {
    static final String TYPE = "mailbox.sync";
    static final String CREATED = "mail.message.created";
    static final String UPDATED = "mail.message.updated";
    static final String DELETED = "mail.message.deleted";
    private static final Logger LOG = LoggerFactory.getLogger(MailSync.class);
    private static final int EVENT_IDS = 100;
    private static final Duration DEFAULT_PAUSE = Duration.ofSeconds(30);

    private final SyncRows rows;
    private final DataSource dataSource;
    private final TokenVault vault;
    private final Mailboxes mailboxes;
    private final Jobs jobs;
    private volatile Events events;

    @Activate
    public MailSync(@Reference(target = "(&(osgi.jndi.service.name=" + Store.DATA_SOURCE_NAME + ")(" + Store.SCHEMAS_PROPERTY + "=mailsync))")
                    DataSource dataSource, @Reference TokenVault vault, @Reference Mailboxes mailboxes,
                    @Reference Jobs jobs) {
        this.dataSource = dataSource;
        this.rows = new SyncRows(dataSource);
        this.vault = vault;
        this.mailboxes = mailboxes;
        this.jobs = jobs;
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

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public int concurrencyLimit() {
        return 1;
    }

    /**
     * Starts syncing an account of the app (or sets its interval): the first run is due at once.
     *
     * @throws ProblemException 404 for an account not of the app or not a mailbox, 409
     *     {@code sync-not-supported} for a mailbox connector without a sync
     */
    boolean enable(String app, String accountId, Duration interval) {
        TokenVault.Account account = vault.appAccount(app, accountId).orElseThrow(() -> ProblemException.notFound("no such account"));
        if (mailboxes.sync(account.connectorId()).isEmpty()) {
            throw new ProblemException(409, "sync-not-supported", "Sync not supported",
                    "the account's connector '" + account.connectorId() + "' cannot sync its mailbox");
        }
        var before = rows.account(accountId);
        if (before.isPresent() && before.get().intervalSeconds() != interval.toSeconds()) {
            jobs.cancel(TYPE, accountId); // scheduled again below with the new interval
        }
        JobRequest recurring = JobRequest.of(TYPE, accountId).forApp(app).forAccount(accountId).every(interval);
        return SqlWork.transaction(dataSource, "starting a mailbox sync", c -> {
            boolean created = rows.enable(c, app, accountId, (int) interval.toSeconds());
            jobs.schedule(c, recurring);
            return created;
        });
    }

    /** A run for the account now (a push notification, a developer's request), besides the recurring ones. */
    void wake(String app, String accountId) {
        jobs.schedule(JobRequest.of(TYPE, accountId + ".now").forApp(app).forAccount(accountId));
    }

    /** Stops syncing the account and drops its index. */
    boolean disable(String accountId) {
        jobs.cancel(TYPE, accountId);
        jobs.cancel(TYPE, accountId + ".now");
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
        MailboxSync sync;
        try {
            sync = mailboxes.sync(account.get().connectorId()).orElse(null);
        } catch (ProblemException notAMailbox) {
            sync = null;
        }
        if (sync == null) {
            rows.ran(accountId, false, "the connector '" + account.get().connectorId() + "' has no mailbox sync installed");
            throw new RetryLater(Duration.ofMinutes(5), "no sync for connector " + account.get().connectorId());
        }
        boolean publish = synced.get().ready();
        try {
            AccessToken token = vault.accessToken(job.app(), accountId);
            MailboxHttp http = mailboxes.http(job.app(), token);
            List<String> streams = sync.streams(http);
            Map<String, SyncRows.Stream> known = rows.streams(accountId);
            for (String gone : known.keySet()) {
                if (!streams.contains(gone)) {
                    rows.dropStream(accountId, gone, sink(job.app(), accountId, publish));
                }
            }
            for (String stream : streams) {
                SyncRows.Stream state = known.containsKey(stream) ? known.get(stream) : rows.startFullPass(accountId, stream);
                round(sync, http, accountId, state, sink(job.app(), accountId, publish));
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

    /** Reads one stream's round to its end, page by page; a forgotten cursor starts a full pass. */
    private void round(MailboxSync sync, MailboxHttp http, String accountId, SyncRows.Stream state, SyncRows.EventSink sink)
            throws ProviderRefusal, IOException {
        int resets = 0;
        while (true) {
            SyncPage page;
            try {
                page = sync.page(http, state.stream(), state.cursor());
            } catch (SyncReset e) {
                if (++resets > 2) {
                    throw new IOException("the provider refused every cursor of stream " + state.stream() + ": " + e.getMessage());
                }
                LOG.info("Mailbox sync of account {}: the provider forgot the cursor of a stream ({}); reading it again in full",
                        accountId, e.getMessage());
                state = rows.startFullPass(accountId, state.stream());
                continue;
            }
            List<SyncRows.Incoming> changed = page.changed().stream().map(m -> SyncRecords.incoming(m, mailboxes.record(m))).toList();
            rows.apply(accountId, state, changed, page.removed(), page.cursor(), page.complete(), sink);
            state = new SyncRows.Stream(state.stream(), page.cursor(), state.fullPass() && !page.complete(), state.gen());
            if (page.complete()) {
                return;
            }
        }
    }

    /** The change events of a transaction, once the account's first full sync is done. */
    private SyncRows.EventSink sink(String app, String accountId, boolean publish) {
        return (tx, applied) -> {
            Events outbox = events;
            if (!publish || outbox == null || applied.isEmpty()) {
                return;
            }
            for (var kind : Map.of(CREATED, applied.created(), UPDATED, applied.updated(), DELETED, applied.deleted()).entrySet()) {
                List<String> ids = kind.getValue();
                for (int from = 0; from < ids.size(); from += EVENT_IDS) {
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("account", accountId);
                    data.put("messages", List.copyOf(ids.subList(from, Math.min(ids.size(), from + EVENT_IDS))));
                    outbox.publish(tx, app, kind.getKey(), data);
                }
            }
        };
    }
}
