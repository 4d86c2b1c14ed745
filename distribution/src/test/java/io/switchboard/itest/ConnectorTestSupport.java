package io.switchboard.itest;

import static io.switchboard.itest.IdentityIT.ADMIN;
import static io.switchboard.itest.IdentityIT.admin;
import static io.switchboard.itest.IdentityIT.signIn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.itest.support.Http;
import io.switchboard.itest.support.SwitchboardTestSupport;
import io.switchboard.testkit.conformance.SwitchboardClient;
import io.switchboard.testkit.identity.FakeEntraId;
import java.net.http.HttpRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the in-container tests of the shipped connectors (CRMs, mailboxes) share: the test settings (fakes on
 * loopback), an app that enables one connector, a signed-in user, tickets that wait for the
 * connector to be hot-deployed from {@code deploy/}, and calls to the unified CRM API.
 */
abstract class ConnectorTestSupport extends SwitchboardTestSupport {
    static final String API = "api://crm-it";
    static final String TENANT = "cdcdcdcd-2222-3333-4444-555555555555";

    /** An app with the connector enabled and one signed-in user of it. */
    record AppSession(String app, String session, String secret) {}

    @Override
    protected Map<String, String> configFiles() {
        return Map.of("switchboard.identity.cfg", "admin.token=" + ADMIN + "\nallow.insecure.issuers=true\n",
                "switchboard.outbound.cfg", "allow.private.addresses=true\n");
    }

    static AppSession appWith(Http http, FakeEntraId entra, String connector, String clientId, String clientSecret) {
        Map<String, Object> settings = Map.of("identity", Map.of("entra", Map.of("audiences", List.of(API),
                "tenants", List.of("organizations"), "authority", entra.authority())));
        JsonNode a = admin(http, "POST", "admin/v1/apps", Map.of("name", connector + " app", "settings", settings)).json();
        Http.Answer enabled = LinkingIT.developer(http, "PUT", a.path("id").asText(), a.path("secret").asText(), "connectors/" + connector,
                "{\"clientId\":\"" + clientId + "\",\"clientSecret\":\"" + clientSecret + "\"}");
        assertThat(enabled.status()).as(enabled.toString()).isEqualTo(200);
        return new AppSession(a.path("id").asText(), session(http, entra, a.path("id").asText()), a.path("secret").asText());
    }

    /** {@link #appWith} on a server just started: tried again each second while its connectors are being deployed (a minute at most). */
    static AppSession awaitAppWith(Http http, FakeEntraId entra, String connector, String clientId, String clientSecret)
            throws InterruptedException {
        for (int i = 0; ; i++) {
            try {
                return appWith(http, entra, connector, clientId, clientSecret);
            } catch (AssertionError connectorNotYetDeployed) {
                if (i > 60) {
                    throw connectorNotYetDeployed;
                }
                Thread.sleep(1000);
            }
        }
    }

    static String session(Http http, FakeEntraId entra, String app) {
        return signIn(http, app, entra.sign(entra.accessTokenV2(TENANT, UUID.randomUUID().toString(), API, "x").build()))
                .path("accessToken").asText();
    }

    /** A linking ticket, once the connector (hot-deployed from deploy/) is there. */
    static String ticket(Http http, String session, String connector) {
        return client(http, session).ticket(connector);
    }

    /** The signed-in user's view of the server, with its linking flows (testkit's conformance client). */
    static SwitchboardClient client(Http http, String session) {
        return new SwitchboardClient(http.base(), session);
    }

    static Http.Answer crm(Http http, String session, String method, String path, String body) {
        return http.send(http.request("v1/crm/" + path).header("Authorization", "Bearer " + session).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static JsonNode account(Http http, String session, String accountId) {
        return http.send(http.request("v1/accounts/" + accountId).header("Authorization", "Bearer " + session).GET().build()).json();
    }

    /**
     * Issue 17: the provider's grant dies (the user removed the app's access there) and it refuses
     * the next refresh in its own words: the account needs re-authorization at once (409
     * {@code reauth-required}, {@code REAUTH_REQUIRED}) after one refresh, and nothing more is asked
     * of the provider until the user links again.
     */
    static void aDeadGrantNeedsReauthorizationAtOnce(Http http, String session, io.switchboard.testkit.oauth.FakeOAuthProvider provider,
                                                     String accountId) {
        int refreshes = provider.refreshCalls();
        provider.revokeAllGrants();
        provider.expireAccessTokens();
        for (int i = 0; i < 2; i++) {
            Http.Answer call = crm(http, session, "GET", accountId + "/people?email=x%40example.com", null);
            assertThat(call.status()).as(call.toString()).isEqualTo(409);
            assertThat(call.json().path("type").asText()).endsWith("reauth-required");
            assertThat(provider.refreshCalls() - refreshes).as("one refresh, refused").isEqualTo(1);
        }
        assertThat(account(http, session, accountId).path("status").asText()).isEqualTo("REAUTH_REQUIRED");
    }

    /**
     * Issue 17: the provider's token endpoint is down (in its own words: HubSpot's 429, Sugar's
     * {@code service_unavailable}, Salesforce's HTML maintenance page): a transient failure, so the
     * caller gets a problem it may retry and the account cools down; it is not marked for
     * re-authorization, and its grant is kept.
     */
    static void aTokenEndpointOutageIsTransient(Http http, String session, io.switchboard.testkit.oauth.FakeOAuthProvider provider,
                                                String accountId) {
        int refreshes = provider.refreshCalls();
        provider.expireAccessTokens();
        provider.tokenEndpointDown(100);
        try {
            Http.Answer call = crm(http, session, "GET", accountId + "/people?email=x%40example.com", null);
            assertThat(call.status()).as(call.toString()).isIn(502, 503);
            assertThat(call.json().path("type").asText()).doesNotEndWith("reauth-required");
            assertThat(account(http, session, accountId).path("status").asText()).isEqualTo("ACTIVE");
            Http.Answer again = crm(http, session, "GET", accountId + "/people?email=x%40example.com", null);
            assertThat(again.status()).as(again.toString()).isIn(502, 503);
            assertThat(provider.refreshCalls() - refreshes).as("the cool-down holds the second call back").isLessThanOrEqualTo(1);
        } finally {
            provider.tokenEndpointDown(0);
        }
    }

    /** Pages through {@code path} two records at a time; returns the ids seen and asserts at least {@code minPages} pages. */
    static Set<String> pageThrough(Http http, String session, String path, int minPages) {
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            Http.Answer page = crm(http, session, "GET", path + "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), null);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().path("items").forEach(r -> seen.add(r.path("id").asText()));
            cursor = page.json().path("cursor").isNull() ? null : page.json().path("cursor").asText();
            assertThat(cursor == null ? "" : cursor).as("the cursor is opaque").doesNotContain("/");
            pages++;
        } while (cursor != null && pages < 50);
        assertThat(pages).isGreaterThanOrEqualTo(minPages);
        return seen;
    }
}
