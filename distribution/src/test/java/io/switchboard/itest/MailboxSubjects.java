package io.switchboard.itest;

import io.switchboard.testkit.conformance.MailboxConformanceSubject;
import io.switchboard.testkit.conformance.SwitchboardClient;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.oauth.FakeMicrosoftLogin;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** The two mailbox connectors with their fakes, as the mailbox conformance suite drives them. */
final class MailboxSubjects {
    /** Each delivery a second after the one before, so that newest first has one answer. */
    private static final AtomicLong CLOCK = new AtomicLong(Instant.parse("2026-11-01T08:00:00Z").getEpochSecond());

    private MailboxSubjects() {
    }

    static MailboxConformanceSubject microsoft(MailboxProviders p) {
        return new MailboxConformanceSubject() {
            @Override
            public String connectorId() {
                return "microsoft";
            }

            @Override
            public String link(SwitchboardClient client, String user) {
                p.login.signedInUser(user);
                return client.linkThroughDialog("microsoft", p.login.baseUri() + "/common/oauth2/v2.0/authorize");
            }

            @Override
            public String externalIdOf(String user) {
                return FakeMicrosoftLogin.TENANT + "/" + FakeMicrosoftLogin.objectId(user);
            }

            @Override
            public String deliver(String user, String from, String subject, String text) {
                return p.graph.deliver(user, from, subject, "<p>" + text + "</p>", Instant.ofEpochSecond(CLOCK.incrementAndGet()));
            }

            @Override
            public void attach(String user, String messageId, String name, String contentType, int size) {
                p.graph.attach(user, messageId, name, contentType, size);
            }

            @Override
            public List<Map<String, String>> sent(String user) {
                return p.graph.messagesIn(user, "sentitems").stream().map(m -> Map.of("subject", String.valueOf(m.get("subject")),
                        "thread", String.valueOf(m.get("conversationId")))).toList();
            }

            @Override
            public String threadOf(String user, String messageId) {
                return p.graph.messagesIn(user, "inbox").stream().filter(m -> m.get("id").equals(messageId)).findFirst()
                        .map(m -> String.valueOf(m.get("conversationId"))).orElseThrow();
            }

            @Override
            public void expireAccessTokens() {
                p.login.expireAccessTokens();
            }

            @Override
            public int refreshCalls() {
                return p.login.refreshCalls();
            }

            @Override
            public void rateLimitNextCall(String user) {
                p.graph.throttle(user, 1, 7);
            }

            @Override
            public String missingMessageId() {
                return "AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0ANoSuchMessage000000000=";
            }
        };
    }

    static MailboxConformanceSubject google(MailboxProviders p) {
        return new MailboxConformanceSubject() {
            @Override
            public String connectorId() {
                return "google";
            }

            @Override
            public String link(SwitchboardClient client, String user) {
                p.google.signedInUser(user);
                return client.linkThroughDialog("google", p.google.authorizeUrl());
            }

            @Override
            public String externalIdOf(String user) {
                return user;
            }

            @Override
            public String deliver(String user, String from, String subject, String text) {
                return p.gmail.deliver(user, from, subject, text, null, Instant.ofEpochSecond(CLOCK.incrementAndGet()));
            }

            @Override
            public void attach(String user, String messageId, String name, String contentType, int size) {
                p.gmail.attach(user, messageId, name, contentType, size);
            }

            @Override
            public List<Map<String, String>> sent(String user) {
                return p.gmail.messages(user).stream().filter(m -> String.valueOf(m.get("labelIds")).contains("SENT"))
                        .map(m -> Map.of("subject", String.valueOf(((Map<?, ?>) m.get("headers")).get("Subject")), "thread",
                                String.valueOf(m.get("threadId")))).toList();
            }

            @Override
            public String threadOf(String user, String messageId) {
                return p.gmail.messages(user).stream().filter(m -> m.get("id").equals(messageId)).findFirst()
                        .map(m -> String.valueOf(m.get("threadId"))).orElseThrow();
            }

            @Override
            public void expireAccessTokens() {
                p.google.expireAccessTokens();
            }

            @Override
            public int refreshCalls() {
                return p.google.refreshCalls();
            }

            @Override
            public void rateLimitNextCall(String user) {
                p.gmail.failNext(1, FakeResponse.json(429, "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check "
                        + "quota).\",\"errors\":[{\"message\":\"Resource has been exhausted (e.g. check quota).\",\"domain\":\"global\","
                        + "\"reason\":\"rateLimitExceeded\"}],\"status\":\"RESOURCE_EXHAUSTED\"}}"));
            }

            @Override
            public String missingMessageId() {
                return "18c0ffee0000dead";
            }
        };
    }
}
