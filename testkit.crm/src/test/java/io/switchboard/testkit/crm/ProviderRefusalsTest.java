package io.switchboard.testkit.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: each CRM fake refuses what its provider refuses, in the provider's own statuses and
 * shapes (INTERFACES.md), so a connector that only copes with RFC 6749's shape fails here.
 */
class ProviderRefusalsTest {
    private static final Pattern FIELD = Pattern.compile("\"(access_token|refresh_token)\"\\s*:\\s*\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void hubSpotRefusesADeadRefreshTokenInItsOwnShapeAndRateLimitsPerAccount() throws Exception {
        try (FakeHubSpot hubspot = new FakeHubSpot("hs", "hs-secret")) {
            HttpResponse<String> dead = form(hubspot.tokenUrl(), "grant_type=refresh_token&refresh_token=unknown&client_id=hs&client_secret=hs-secret");
            assertThat(dead.statusCode()).isEqualTo(400);
            assertThat(dead.body()).contains("\"status\":\"BAD_REFRESH_TOKEN\"").contains("missing or invalid refresh token")
                    .contains("correlationId").doesNotContain("\"error\"");
            hubspot.rateLimitNext(1);
            hubspot.signedInUser("a");
            String token = hubspot.accessTokenFor("a");
            HttpResponse<String> limited = get(hubspot.baseUri().resolve("/crm/v3/objects/contacts").toString(), "Bearer " + token);
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.body()).contains("\"policyName\":\"TEN_SECONDLY_ROLLING\"");
            hubspot.budget(2);
            String other = hubspot.accessTokenFor("b");
            for (int i = 0; i < 2; i++) {
                assertThat(get(hubspot.baseUri().resolve("/crm/v3/objects/contacts").toString(), "Bearer " + token).statusCode()).isEqualTo(200);
            }
            HttpResponse<String> third = get(hubspot.baseUri().resolve("/crm/v3/objects/contacts").toString(), "Bearer " + token);
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(third.body()).contains("\"policyName\":\"TEN_SECONDLY_ROLLING\"");
            assertThat(get(hubspot.baseUri().resolve("/crm/v3/objects/contacts").toString(), "Bearer " + other).statusCode())
                    .as("another account has its own window").isEqualTo(200);
        }
    }

    @Test
    void hubSpotAnswersDefaultPropertiesUnlessAskedAndSearchesAsHubSpotDoes() throws Exception {
        try (FakeHubSpot hubspot = new FakeHubSpot("hs", "hs-secret")) {
            String token = "Bearer " + hubspot.accessTokenFor("a");
            String id = hubspot.seed("contacts", Map.of("email", "ada@example.com", "firstname", "Ada", "jobtitle", "Engineer"));
            hubspot.seed("contacts", Map.of("email", "bob@example.com", "firstname", "Bob"));
            String contacts = hubspot.baseUri().resolve("/crm/v3/objects/contacts").toString();
            assertThat(get(contacts + "/" + id, token).body()).contains("\"firstname\":\"Ada\"").doesNotContain("jobtitle");
            assertThat(get(contacts + "/" + id + "?properties=jobtitle", token).body()).contains("\"jobtitle\":\"Engineer\"");
            assertThat(get(contacts, token).body()).doesNotContain("jobtitle");

            HttpResponse<String> eq = jsonAuth(contacts + "/search", token, "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"email\","
                    + "\"operator\":\"EQ\",\"value\":\"ADA@example.com\"}]}],\"properties\":[\"jobtitle\"]}");
            assertThat(eq.body()).contains("\"total\":1").contains("\"jobtitle\":\"Engineer\"");
            HttpResponse<String> neq = jsonAuth(contacts + "/search", token, "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"email\","
                    + "\"operator\":\"NEQ\",\"value\":\"ada@example.com\"}]}],\"limit\":1}");
            assertThat(neq.body()).contains("\"total\":1").contains("bob@example.com");
            HttpResponse<String> paged = jsonAuth(contacts + "/search", token, "{\"filterGroups\":[],\"limit\":1}");
            assertThat(paged.body()).contains("\"total\":2").contains("\"after\":\"" + id + "\"");
            HttpResponse<String> unknown = jsonAuth(contacts + "/search", token, "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"email\","
                    + "\"operator\":\"SOUNDS_LIKE\",\"value\":\"ada\"}]}]}");
            assertThat(unknown.statusCode()).isEqualTo(400);
            HttpResponse<String> noTimestamp = jsonAuth(hubspot.baseUri().resolve("/crm/v3/objects/emails").toString(), token,
                    "{\"properties\":{\"hs_email_subject\":\"Hi\"}}");
            assertThat(noTimestamp.statusCode()).isEqualTo(400);
            assertThat(noTimestamp.body()).contains("hs_timestamp").contains("VALIDATION_ERROR");
        }
    }

    @Test
    void salesforceAnswersEveryRefusedGrantWith400() throws Exception {
        try (FakeSalesforce salesforce = new FakeSalesforce("sf", "sf-secret")) {
            HttpResponse<String> badClient = form(salesforce.tokenUrl(), "grant_type=refresh_token&refresh_token=x&client_id=sf&client_secret=wrong");
            assertThat(badClient.statusCode()).isEqualTo(400);
            assertThat(badClient.body()).contains("\"error\":\"invalid_client\"");
            HttpResponse<String> dead = form(salesforce.tokenUrl(), "grant_type=refresh_token&refresh_token=x&client_id=sf&client_secret=sf-secret");
            assertThat(dead.statusCode()).isEqualTo(400);
            assertThat(dead.body()).contains("\"error\":\"invalid_grant\"").contains("expired access/refresh token");

            String token = "Bearer " + salesforce.accessTokenFor("u");
            String base = salesforce.baseUri().resolve("/services/data/v60.0/sobjects/").toString();
            HttpResponse<String> unknownField = jsonAuth(base + "Contact", token, "{\"LastName\":\"L\",\"Nickname__x\":\"n\"}");
            assertThat(unknownField.statusCode()).isEqualTo(400);
            assertThat(unknownField.body()).startsWith("[").contains("\"errorCode\":\"INVALID_FIELD\"").contains("Nickname__x");
            HttpResponse<String> orphanNote = jsonAuth(base + "Note", token, "{\"Title\":\"t\",\"Body\":\"b\"}");
            assertThat(orphanNote.statusCode()).isEqualTo(400);
            assertThat(orphanNote.body()).contains("REQUIRED_FIELD_MISSING").contains("ParentId");
            assertThat(jsonAuth(base + "Contact", token, "{\"LastName\":\"L\",\"Email\":\"l@example.com\"}").statusCode()).isEqualTo(201);
        }
    }

    @Test
    void sugarHasNoCodeGrantAndANewLoginOnThePlatformEndsTheEarlierSession() throws Exception {
        try (FakeSugarCrm sugar = new FakeSugarCrm()) {
            sugar.user("alice", "pw");
            String token = sugar.instanceUrl() + "/rest/v11_x/oauth2/token";
            HttpResponse<String> code = json(token, "{\"grant_type\":\"authorization_code\",\"code\":\"x\",\"client_id\":\"sugar\","
                    + "\"client_secret\":\"\",\"platform\":\"switchboard\"}");
            assertThat(code.statusCode()).isEqualTo(401);
            assertThat(code.body()).contains("\"error\":\"unsupported_grant_type\"").contains("error_message");
            String login = "{\"grant_type\":\"password\",\"client_id\":\"sugar\",\"client_secret\":\"\",\"username\":\"alice\","
                    + "\"password\":\"pw\",\"platform\":\"switchboard\"}";
            Map<String, String> first = tokens(json(token, login).body());
            assertThat(get(sugar.instanceUrl() + "/rest/v11_x/me", null, "OAuth-Token", first.get("access_token")).statusCode()).isEqualTo(200);
            Map<String, String> second = tokens(json(token, login).body());
            assertThat(get(sugar.instanceUrl() + "/rest/v11_x/me", null, "OAuth-Token", first.get("access_token")).statusCode())
                    .as("the earlier session ended").isEqualTo(401);
            assertThat(get(sugar.instanceUrl() + "/rest/v11_x/me", null, "OAuth-Token", second.get("access_token")).statusCode()).isEqualTo(200);
            HttpResponse<String> oldRefresh = json(token, "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + first.get("refresh_token")
                    + "\",\"client_id\":\"sugar\",\"client_secret\":\"\",\"platform\":\"switchboard\"}");
            assertThat(oldRefresh.statusCode()).isEqualTo(401);
            assertThat(oldRefresh.body()).contains("\"error\":\"invalid_grant\"");
        }
    }

    @Test
    void eachProvidersOAuthRefusesWhatThatProviderRefuses() throws Exception {
        String callback = "https://switchboard.example/v1/connect/callback";
        try (FakeSalesforce salesforce = new FakeSalesforce("sf", "sf-secret"); FakeHubSpot hubspot = new FakeHubSpot("hs", "hs-secret");
             FakeSugarCrm sugar = new FakeSugarCrm()) {
            salesforce.registerRedirectUri(callback);
            hubspot.registerRedirectUri(callback);
            // Only the redirect URI registered for the client, exactly.
            assertThat(get(salesforce.authorizeUrl() + "?response_type=code&client_id=sf&state=s&redirect_uri="
                    + java.net.URLEncoder.encode(callback + "/x", java.nio.charset.StandardCharsets.UTF_8), null).statusCode()).isEqualTo(400);
            assertThat(get(hubspot.authorizeUrl() + "?response_type=code&client_id=hs&state=s&redirect_uri="
                    + java.net.URLEncoder.encode(callback, java.nio.charset.StandardCharsets.UTF_8), null).statusCode()).isEqualTo(302);
            // HubSpot takes the client's credentials among the form's parameters only, and refuses in its own shape.
            HttpResponse<String> basic = http.send(HttpRequest.newBuilder(URI.create(hubspot.tokenUrl()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("hs:hs-secret".getBytes()))
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token=x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(basic.statusCode()).isEqualTo(400);
            assertThat(basic.body()).contains("\"status\":\"BAD_CLIENT_ID\"").doesNotContain("\"error\"");
            assertThat(form(hubspot.tokenUrl(), "grant_type=password&username=u&password=p&client_id=hs&client_secret=hs-secret").body())
                    .contains("BAD_GRANT_TYPE");
            assertThat(hubspot.profile().revokePath()).as("HubSpot ends a grant by deleting its refresh token").isNull();
            // Salesforce and HubSpot read form bodies; Sugar reads JSON only.
            assertThat(json(salesforce.tokenUrl(), "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"x\",\"client_id\":\"sf\","
                    + "\"client_secret\":\"sf-secret\"}").body()).contains("invalid_request");
            HttpResponse<String> sugarForm = form(sugar.instanceUrl() + "/rest/v11_x/oauth2/token",
                    "grant_type=password&client_id=sugar&client_secret=&username=u&password=p&platform=switchboard");
            assertThat(sugarForm.statusCode()).isEqualTo(401);
            assertThat(sugarForm.body()).contains("invalid_request").contains("error_message");
            // Salesforce: revoking a token it does not know is 400 invalid_token (RFC 7009 servers answer 200).
            HttpResponse<String> revoke = form(salesforce.revokeUrl(), "token=unknown");
            assertThat(revoke.statusCode()).isEqualTo(400);
            assertThat(revoke.body()).contains("invalid_token");
            assertThat(form(salesforce.revokeUrl(), "token=" + salesforce.accessTokenFor("u")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void eachTokenEndpointIsDownInItsOwnWords() throws Exception {
        try (FakeSalesforce salesforce = new FakeSalesforce("sf", "sf-secret"); FakeHubSpot hubspot = new FakeHubSpot("hs", "hs-secret");
             FakeSugarCrm sugar = new FakeSugarCrm()) {
            salesforce.tokenEndpointDown(1);
            HttpResponse<String> maintenance = form(salesforce.tokenUrl(), "grant_type=refresh_token&refresh_token=x&client_id=sf&client_secret=sf-secret");
            assertThat(maintenance.statusCode()).isEqualTo(503);
            assertThat(maintenance.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            hubspot.tokenEndpointDown(1);
            HttpResponse<String> limited = form(hubspot.tokenUrl(), "grant_type=refresh_token&refresh_token=x&client_id=hs&client_secret=hs-secret");
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.body()).contains("\"errorType\":\"RATE_LIMIT\"").doesNotContain("\"error\":");
            sugar.tokenEndpointDown(1);
            HttpResponse<String> down = json(sugar.instanceUrl() + "/rest/v11_x/oauth2/token", "{\"grant_type\":\"refresh_token\"}");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("\"error\":\"service_unavailable\"").contains("error_message");
            // once is all: the next request is judged again
            assertThat(form(salesforce.tokenUrl(), "grant_type=refresh_token&refresh_token=x&client_id=sf&client_secret=sf-secret")
                    .statusCode()).isEqualTo(400);
        }
    }

    @Test
    void sugarNeedsTheModulesRequiredFieldsAndDropsMembersThatAreNotFields() throws Exception {
        try (FakeSugarCrm sugar = new FakeSugarCrm()) {
            String token = sugar.accessTokenFor("alice");
            String contacts = sugar.instanceUrl() + "/rest/v11_x/Contacts";
            HttpResponse<String> noLastName = post(contacts, token, "{\"first_name\":\"Ada\"}");
            assertThat(noLastName.statusCode()).isEqualTo(422);
            assertThat(noLastName.body()).contains("\"error\":\"missing_parameter\"").contains("last_name");
            HttpResponse<String> opportunity = post(sugar.instanceUrl() + "/rest/v11_x/Opportunities", token, "{\"name\":\"Deal\"}");
            assertThat(opportunity.statusCode()).isEqualTo(422);
            assertThat(opportunity.body()).contains("date_closed");
            HttpResponse<String> created = post(contacts, token, "{\"last_name\":\"Lovelace\",\"email\":\"ada@example.com\"}");
            assertThat(created.statusCode()).isEqualTo(200);
            assertThat(created.body()).contains("Lovelace").as("'email' is not a Contacts field (email1 is)").doesNotContain("ada@example.com");
        }
    }

    private HttpResponse<String> post(String url, String oauthToken, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json").header("OAuth-Token", oauthToken)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> tokens(String body) {
        Map<String, String> out = new java.util.HashMap<>();
        Matcher m = FIELD.matcher(body);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    private HttpResponse<String> form(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> json(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> jsonAuth(String url, String authorization, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json").header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url, String authorization, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
