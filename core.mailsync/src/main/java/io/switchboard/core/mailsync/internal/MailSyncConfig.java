package io.switchboard.core.mailsync.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Switchboard mailbox sync")
@interface MailSyncConfig {
    String PID = "switchboard.mailsync";

    @AttributeDefinition(description = "Interval between two sync runs of a synced mailbox when the app does not name one, in seconds.")
    int interval_seconds() default 300;

    @AttributeDefinition(description = "Shortest interval an app may ask for between two sync runs of a mailbox, in seconds.")
    int min_interval_seconds() default 60;

    @AttributeDefinition(description = "Days before today from which a synced calendar's events are kept.")
    int calendar_past_days() default 30;

    @AttributeDefinition(description = "Days after today up to which a synced calendar's events are kept.")
    int calendar_future_days() default 180;

    @AttributeDefinition(description = "Days a deleted message or event is kept as a tombstone for readers of the changes; 0 keeps them for ever.")
    int tombstone_retention_days() default 30;

    @AttributeDefinition(description = "The server's public base URL, to which providers send change notifications (<push.url>/v1/push/<connector>); empty: no push, polling only.")
    String push_url() default "";

    @AttributeDefinition(description = "Minutes a push subscription is asked for (the provider's longest caps it; Graph: 10,080).")
    int push_minutes() default 10_080;

    @AttributeDefinition(description = "Hours before its expiry a push subscription is renewed by the account's next sync run.")
    int push_renew_hours() default 24;
}
