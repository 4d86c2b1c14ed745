package io.switchboard.itest;

import io.switchboard.itest.support.Http;
import io.switchboard.testkit.calendar.FakeGoogleCalendar;
import io.switchboard.testkit.calendar.FakeGraphCalendar;
import io.switchboard.testkit.gmail.FakeGmail;
import io.switchboard.testkit.identity.FakeEntraId;
import io.switchboard.testkit.mailbox.FakeGraph;
import io.switchboard.testkit.oauth.FakeGoogleOAuth;
import io.switchboard.testkit.oauth.FakeMicrosoftLogin;
import java.util.Hashtable;
import java.util.UUID;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The mailbox providers' fakes for one in-container test class (Microsoft's login and Graph,
 * Google's OAuth and Gmail), the shipped connectors pointed at them, and an app that enables both
 * with one signed-in user.
 */
final class MailboxProviders implements AutoCloseable {
    final FakeEntraId entra = new FakeEntraId();
    final String msSecret = "ms-secret-" + UUID.randomUUID();
    final String googleSecret = "g-secret-" + UUID.randomUUID();
    final FakeMicrosoftLogin login = new FakeMicrosoftLogin("ms-client", msSecret);
    final FakeGraph graph = new FakeGraph(login);
    final FakeGoogleOAuth google = new FakeGoogleOAuth("g-client", googleSecret);
    final FakeGmail gmail = new FakeGmail(google);
    final FakeGraphCalendar graphCalendar = new FakeGraphCalendar(graph);
    final FakeGoogleCalendar googleCalendar = new FakeGoogleCalendar(gmail);
    final ConnectorTestSupport.AppSession app;
    private static Object madeFor;
    private static MailboxProviders current;

    MailboxProviders(Http http, ConfigurationAdmin config) throws Exception {
        login.registerRedirectUri(http.base() + "v1/connect/callback");
        google.registerRedirectUri(http.base() + "v1/connect/callback");
        configure(config, "switchboard.connector.microsoft", "authorization.url", login.baseUri() + "/{tenant}/oauth2/v2.0/authorize",
                "token.url", login.baseUri() + "/{tenant}/oauth2/v2.0/token", "graph.url", graph.baseUri().toString(), "upload.hosts", graph.uploadHost());
        configure(config, "switchboard.connector.google", "authorization.url", google.authorizeUrl(), "token.url", google.tokenUrl(),
                "revocation.url", google.revokeUrl(), "userinfo.url", google.baseUri() + "/v1/userinfo", "api.url", gmail.baseUri().toString());
        app = ConnectorTestSupport.appWith(http, entra, "microsoft", "ms-client", msSecret);
        enable(http, "google", "{\"clientId\":\"g-client\",\"clientSecret\":\"" + googleSecret + "\"}");
    }

    /**
     * For a server started as a process in {@code home}: the operator token, the fakes' loopback
     * addresses allowed, and the shipped connectors pointed at the fakes, each connector's
     * configuration followed by {@code connectorExtra} (lines, e.g. a budget).
     */
    static void configureHome(java.nio.file.Path home, FakeMicrosoftLogin login, FakeGraph graph, FakeGoogleOAuth google, FakeGmail gmail,
                              String connectorExtra) throws java.io.IOException {
        java.nio.file.Path etc = java.nio.file.Files.createDirectories(home.resolve("etc"));
        java.nio.file.Files.writeString(etc.resolve("switchboard.identity.cfg"), "admin.token=" + IdentityIT.ADMIN + "\nallow.insecure.issuers=true\n");
        java.nio.file.Files.writeString(etc.resolve("switchboard.outbound.cfg"), "allow.private.addresses=true\n");
        java.nio.file.Files.writeString(etc.resolve("switchboard.connector.microsoft.cfg"), "authorization.url=" + login.baseUri()
                + "/{tenant}/oauth2/v2.0/authorize\ntoken.url=" + login.baseUri() + "/{tenant}/oauth2/v2.0/token\ngraph.url=" + graph.baseUri()
                + "\nupload.hosts=" + graph.uploadHost() + "\n" + connectorExtra);
        java.nio.file.Files.writeString(etc.resolve("switchboard.connector.google.cfg"), "authorization.url=" + google.authorizeUrl() + "\ntoken.url="
                + google.tokenUrl() + "\nrevocation.url=" + google.revokeUrl() + "\nuserinfo.url=" + google.baseUri() + "/v1/userinfo\napi.url="
                + gmail.baseUri() + "\n" + connectorExtra);
    }

    /** The fakes and app of the running container ({@code context}): made anew for a new container, or after {@link #discard}. */
    static synchronized MailboxProviders forContainer(Object context, Http http, ConfigurationAdmin config) throws Exception {
        if (madeFor != context) {
            if (current != null) {
                current.close();
            }
            current = new MailboxProviders(http, config);
            madeFor = context;
        }
        return current;
    }

    /** The next {@link #forContainer} makes them anew (a test changed the app's settings). */
    static synchronized void discard() {
        madeFor = null;
    }

    private static void configure(ConfigurationAdmin admin, String pid, String... properties) throws Exception {
        Configuration c = admin.getConfiguration(pid, "?");
        Hashtable<String, Object> p = new Hashtable<>();
        for (int i = 0; i < properties.length; i += 2) {
            p.put(properties[i], properties[i + 1]);
        }
        c.update(p);
    }

    void enable(Http http, String connector, String settings) {
        Http.Answer put = LinkingIT.developer(http, "PUT", app.app(), app.secret(), "connectors/" + connector, settings);
        org.assertj.core.api.Assertions.assertThat(put.status()).as(put.toString()).isEqualTo(200);
    }

    /** Links {@code user}'s Microsoft 365 mailbox; returns the account id. */
    String linkMicrosoft(Http http, String user) {
        login.signedInUser(user);
        return ConnectorTestSupport.client(http, app.session()).linkThroughDialog("microsoft", login.baseUri() + "/common/oauth2/v2.0/authorize");
    }

    /** Links {@code user}'s Gmail mailbox; returns the account id. */
    String linkGoogle(Http http, String user) {
        google.signedInUser(user);
        return ConnectorTestSupport.client(http, app.session()).linkThroughDialog("google", google.authorizeUrl());
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {entra, login, graph, google, gmail}) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing fakes
            }
        }
    }
}
