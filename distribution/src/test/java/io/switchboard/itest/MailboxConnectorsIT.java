package io.switchboard.itest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.itest.support.Http;
import io.switchboard.testkit.gmail.FakeGmail;
import io.switchboard.testkit.mailbox.FakeGraph;
import io.switchboard.testkit.oauth.FakeGoogleOAuth;
import io.switchboard.testkit.oauth.FakeMicrosoftLogin;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 16, linking: the Microsoft 365 and Google connectors as they ship (bundles in
 * {@code deploy/}) against testkit's fakes of each provider's OAuth server and API. Each asks for
 * what its provider needs to hand out a refresh token (Microsoft's {@code offline_access}, Google's
 * {@code access_type=offline} and {@code prompt=consent}: the fakes issue none without), names the
 * account as the provider's stable id (Entra tenant and object, Google {@code sub}), reaches the
 * provider's API through the proxy, keeps working across refreshes (Microsoft rotates the refresh
 * token, Google does not), asks for the scopes of the features an app chose, and unlinks as the
 * provider allows (Google revokes; Entra has no endpoint for it).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MailboxConnectorsIT extends ConnectorTestSupport {
    static MailboxProviders providers;
    static FakeMicrosoftLogin login;
    static FakeGraph graph;
    static FakeGoogleOAuth google;
    static FakeGmail gmail;
    static AppSession app;

    private synchronized Http setUp() throws Exception {
        Http http = awaitHealthy();
        providers = MailboxProviders.forContainer(context, http, service(ConfigurationAdmin.class, null));
        login = providers.login;
        graph = providers.graph;
        google = providers.google;
        gmail = providers.gmail;
        app = providers.app;
        return http;
    }

    private static void enable(Http http, String connector, String settings) {
        providers.enable(http, connector, settings);
    }

    /** The scopes of the authorization request that linking's start redirects to. */
    private static List<String> requestedScopes(Http http, String connector) {
        Http.Answer start = http.send(http.request("v1/connect/" + connector + "/start?ticket=" + ticket(http, app.session(), connector))
                .GET().build());
        assertThat(start.status()).as(start.toString()).isEqualTo(302);
        String location = start.header("Location");
        String scope = location.replaceAll(".*[?&]scope=([^&]*).*", "$1");
        return List.of(URLDecoder.decode(scope, StandardCharsets.UTF_8).split(" "));
    }

    private static Http.Answer proxied(Http http, String accountId, String path) {
        return http.send(http.request("v1/proxy/" + accountId + path).header("Authorization", "Bearer " + app.session()).GET().build());
    }

    @Test
    public void aMicrosoftMailboxIsItsDirectoryObjectReachesGraphAndSurvivesRotatingRefreshes() throws Exception {
        Http http = setUp();
        login.signedInUser("adele");
        String accountId = client(http, app.session()).linkThroughDialog("microsoft", login.baseUri() + "/common/oauth2/v2.0/authorize",
                "code_challenge", "scope");
        JsonNode account = account(http, app.session(), accountId);
        assertThat(account.path("externalId").asText()).isEqualTo(FakeMicrosoftLogin.TENANT + "/" + FakeMicrosoftLogin.objectId("adele"));
        assertThat(account.path("displayName").asText()).isEqualTo("adele@contoso.example");

        Http.Answer me = proxied(http, accountId, "/v1.0/me");
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().path("id").asText()).isEqualTo(FakeMicrosoftLogin.objectId("adele"));
        assertThat(proxied(http, accountId, "/common/oauth2/v2.0/token").status()).as("only Graph's versions").isEqualTo(403);

        for (int round = 0; round < 2; round++) { // each refresh rotates the refresh token: the vault must keep the new one
            int refreshes = login.refreshCalls();
            login.expireAccessTokens();
            Http.Answer again = proxied(http, accountId, "/v1.0/me");
            assertThat(again.status()).as(again.toString()).isEqualTo(200);
            assertThat(login.refreshCalls()).isEqualTo(refreshes + 1);
        }
        assertThat(login.grantErrors()).as("no refresh token presented twice").isZero();

        int calls = login.requests().size();
        assertThat(http.send(http.request("v1/accounts/" + accountId).header("Authorization", "Bearer " + app.session()).DELETE().build())
                .status()).isEqualTo(204);
        assertThat(login.requests()).as("Entra has no revocation endpoint: nothing to call").hasSize(calls);
    }

    @Test
    public void aMailboxWithoutAnAddressIsNamedByItsPrincipalName() throws Exception {
        Http http = setUp();
        login.signedInUser("nomail");
        graph.withoutMail("nomail");
        String accountId = client(http, app.session()).linkThroughDialog("microsoft", login.baseUri() + "/common/oauth2/v2.0/authorize");
        assertThat(account(http, app.session(), accountId).path("displayName").asText()).isEqualTo(FakeGraph.userPrincipalName("nomail"));
    }

    @Test
    public void theScopesAreWhatLinkingNeedsPlusTheAppsFeaturesAndTheTenantIsTheApps() throws Exception {
        Http http = setUp();
        assertThat(requestedScopes(http, "microsoft")).startsWith("offline_access", "openid", "profile", "email", "User.Read")
                .contains("Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite");
        enable(http, "microsoft", "{\"clientId\":\"ms-client\",\"clientSecret\":\"x\",\"options\":{\"features\":\"mail.read,calendar.read\","
                + "\"tenant\":\"organizations\"}}");
        try {
            assertThat(requestedScopes(http, "microsoft")).containsExactly("offline_access", "openid", "profile", "email", "User.Read",
                    "Mail.Read", "Calendars.Read");
            Http.Answer start = http.send(http.request("v1/connect/microsoft/start?ticket=" + ticket(http, app.session(), "microsoft")).GET()
                    .build());
            assertThat(start.header("Location")).startsWith(login.baseUri() + "/organizations/oauth2/v2.0/authorize?");
            enable(http, "microsoft", "{\"clientId\":\"ms-client\",\"clientSecret\":\"x\",\"scopes\":[\"Mail.Read\"]}");
            assertThat(requestedScopes(http, "microsoft")).as("an app's own scopes, and what linking needs")
                    .containsExactly("offline_access", "openid", "profile", "email", "User.Read", "Mail.Read");
            enable(http, "microsoft", "{\"clientId\":\"ms-client\",\"clientSecret\":\"x\",\"options\":{\"features\":\"mail,telepathy\"}}");
            Http.Answer refused = http.send(http.request("v1/connect/microsoft/start?ticket=" + ticket(http, app.session(), "microsoft")).GET()
                    .build());
            assertThat(refused.status()).as("a feature the connector does not offer").isGreaterThanOrEqualTo(400);
            assertThat(refused.header("Location")).isNull();
        } finally {
            MailboxProviders.discard(); // the app's Microsoft settings changed: the next test starts afresh
        }
    }

    @Test
    public void aGmailAccountIsLinkedOfflineKeepsItsRefreshTokenAndIsRevokedWhenUnlinked() throws Exception {
        Http http = setUp();
        google.signedInUser("sam");
        String accountId = client(http, app.session()).linkThroughDialog("google", google.authorizeUrl(), "code_challenge", "access_type",
                "prompt");
        JsonNode account = account(http, app.session(), accountId);
        assertThat(account.path("externalId").asText()).isEqualTo("sam");
        assertThat(account.path("displayName").asText()).isEqualTo(FakeGmail.address("sam"));
        assertThat(requestedScopes(http, "google")).startsWith("openid", "email", "profile")
                .contains("https://www.googleapis.com/auth/gmail.modify", "https://www.googleapis.com/auth/calendar");

        // linked again (the user consented before): prompt=consent earns a refresh token again, and the account is the same
        assertThat(client(http, app.session()).linkThroughDialog("google", google.authorizeUrl())).isEqualTo(accountId);
        Http.Answer profile = proxied(http, accountId, "/gmail/v1/users/me/profile");
        assertThat(profile.status()).as(profile.toString()).isEqualTo(200);
        assertThat(profile.json().path("emailAddress").asText()).isEqualTo(FakeGmail.address("sam"));
        assertThat(proxied(http, accountId, "/oauth2/v4/token").status()).as("only Gmail's and Calendar's paths").isEqualTo(403);

        for (int round = 0; round < 2; round++) { // a refresh answers without a refresh token: the one we have is kept
            int refreshes = google.refreshCalls();
            google.expireAccessTokens();
            Http.Answer again = proxied(http, accountId, "/gmail/v1/users/me/profile");
            assertThat(again.status()).as(again.toString()).isEqualTo(200);
            assertThat(google.refreshCalls()).isEqualTo(refreshes + 1);
        }

        int revoked = google.revokedTokens().size();
        assertThat(http.send(http.request("v1/accounts/" + accountId).header("Authorization", "Bearer " + app.session()).DELETE().build())
                .status()).isEqualTo(204);
        assertThat(google.revokedTokens()).hasSize(revoked + 1);
        assertThat(google.revokedTokens().get(revoked)).startsWith("rt_");
        assertThat(google.issuedTokens()).contains(google.revokedTokens().get(revoked));
    }
}
