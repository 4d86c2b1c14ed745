package io.switchboard.core.identity.internal;

import io.switchboard.testkit.time.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import io.switchboard.testkit.identity.FakeEntraId;
import io.switchboard.testkit.identity.FakeExchangeServer;
import io.switchboard.testkit.identity.FakeOidcIssuer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The validation rules one by one, with a controllable clock (the in-container tests cover HTTP). */
class IdentityTokenValidatorTest {
    static final String TENANT = "11111111-2222-3333-4444-555555555555";
    static final String API = "api://x";
    static FakeEntraId entra;
    static FakeOidcIssuer google;
    static FakeExchangeServer exchange;
    static final String ADDIN = "https://addin.example.com/taskpane.html";

    final MutableClock clock = new MutableClock();
    final RemoteDocuments documents = new RemoteDocuments(new JdkUpstream(), Duration.ofSeconds(60), true, clock);
    final IdentityTokenValidator validator = new IdentityTokenValidator(documents, 16384, clock);

    @BeforeAll
    static void start() {
        entra = new FakeEntraId();
        google = new FakeOidcIssuer();
        exchange = new FakeExchangeServer();
    }

    @AfterAll
    static void stop() {
        entra.close();
        google.close();
        exchange.close();
    }

    AppSettings app(List<String> tenants) {
        return new AppSettings(null, null, new AppSettings.Identity(
                new AppSettings.Entra(List.of(API), "access_as_user", tenants, List.of("1.0", "2.0"), entra.authority(), null, null),
                new AppSettings.Google(List.of("g-client"), List.of("corp.example"), google.issuer()), null,
                new AppSettings.ExchangeLegacy(true, List.of(exchange.metadataUrl()), List.of(ADDIN)))).validated();
    }

    @Test
    void expiryHasSixtySecondsOfLeewayAndNoMore() {
        JWTClaimsSet base = entra.accessTokenV2(TENANT, "oid-1", API, "access_as_user").build();
        String expired30 = entra.sign(new JWTClaimsSet.Builder(base).expirationTime(Date.from(clock.now().minusSeconds(30))).build());
        String expired90 = entra.sign(new JWTClaimsSet.Builder(base).expirationTime(Date.from(clock.now().minusSeconds(90))).build());
        assertThat(validator.validate(app(List.of(TENANT)), expired30).subject()).isEqualTo("oid-1");
        assertThatThrownBy(() -> validator.validate(app(List.of(TENANT)), expired90)).hasMessageContaining("expired");
        String nbf30 = entra.sign(new JWTClaimsSet.Builder(base).notBeforeTime(Date.from(clock.now().plusSeconds(30))).build());
        assertThat(validator.validate(app(List.of(TENANT)), nbf30)).isNotNull();
        String iatFuture = entra.sign(new JWTClaimsSet.Builder(base).issueTime(Date.from(clock.now().plusSeconds(300))).build());
        assertThatThrownBy(() -> validator.validate(app(List.of(TENANT)), iatFuture)).hasMessageContaining("future");
    }

    @Test
    void tenantPolicies() {
        String consumer = entra.sign(entra.accessTokenV2(IdentityTokenValidator.CONSUMER_TENANT, "o", API, "access_as_user").build());
        String work = entra.sign(entra.accessTokenV2(TENANT, "o", API, "access_as_user").build());
        assertThat(validator.validate(app(List.of("organizations")), work).organizationId()).isEqualTo(TENANT);
        assertThatThrownBy(() -> validator.validate(app(List.of("organizations")), consumer)).hasMessageContaining("tenant");
        assertThat(validator.validate(app(List.of("common")), consumer)).isNotNull();
        assertThatThrownBy(() -> validator.validate(app(List.of("aaaaaaaa-2222-3333-4444-555555555555")), work))
                .hasMessageContaining("tenant");
    }

    @Test
    void entraV1TokensNeedTheV1IssuerAndAllowedVersion() {
        String v1 = entra.sign(entra.accessTokenV1(TENANT, "o", API, "access_as_user").build());
        assertThat(validator.validate(app(List.of(TENANT)), v1).issuerKey()).isEqualTo("entra:" + TENANT);
        AppSettings v2Only = new AppSettings(null, null, new AppSettings.Identity(
                new AppSettings.Entra(List.of(API), null, List.of(TENANT), List.of("2.0"), entra.authority(), null, null), null, null, null));
        assertThatThrownBy(() -> validator.validate(v2Only, v1)).hasMessageContaining("version");
    }

    @Test
    void googleHostedDomainAndIssuerForms() {
        String ok = google.sign(google.idToken("s", "g-client", "a@corp.example").claim("hd", "corp.example").build());
        assertThat(validator.validate(app(List.of(TENANT)), ok).organizationId()).isEqualTo("corp.example");
        String otherDomain = google.sign(google.idToken("s", "g-client", "a@x.example").claim("hd", "x.example").build());
        assertThatThrownBy(() -> validator.validate(app(List.of(TENANT)), otherDomain)).hasMessageContaining("domain");
        String consumer = google.sign(google.idToken("s", "g-client", "a@gmail.example").build());
        assertThatThrownBy(() -> validator.validate(app(List.of(TENANT)), consumer)).hasMessageContaining("domain");
        // Google writes its issuer with and without the scheme; both forms sign in, nothing else does (issue 17).
        String bare = google.sign(new JWTClaimsSet.Builder(google.idToken("s", "g-client", "a@corp.example").claim("hd", "corp.example")
                .build()).issuer(google.issuer().replaceFirst("^https?://", "")).build());
        assertThat(validator.validate(app(List.of(TENANT)), bare).subject()).isEqualTo("s");
        String lookalike = google.sign(new JWTClaimsSet.Builder(google.idToken("s", "g-client", "a@corp.example").claim("hd", "corp.example")
                .build()).issuer(google.issuer() + ".evil.example").build());
        assertThatThrownBy(() -> validator.validate(app(List.of(TENANT)), lookalike)).hasMessageContaining("issuer");
    }

    /** The README: http issuers are refused unless allow.insecure.issuers is set (tests only). */
    @Test
    void plainHttpIssuersAreRefusedByDefault() {
        IdentityTokenValidator strict = new IdentityTokenValidator(new RemoteDocuments(new JdkUpstream(), Duration.ofSeconds(60), false,
                clock), 16384, clock);
        String token = entra.sign(entra.accessTokenV2(TENANT, java.util.UUID.randomUUID().toString(), API, "access_as_user").build());
        assertThat(validator.validate(app(List.of(TENANT)), token)).isNotNull();
        assertThatThrownBy(() -> strict.validate(app(List.of(TENANT)), token)).isInstanceOf(IdentityTokenException.class)
                .hasMessageContaining("https");
    }

    @Test
    void jwksIsKeptForItsMaxAgeAndRefetchedAfterIt() {
        entra.jwksMaxAge(600);
        String token = entra.sign(entra.accessTokenV2(TENANT, "o", API, "access_as_user").build());
        int before = entra.jwksFetches();
        validator.validate(app(List.of(TENANT)), token);
        validator.validate(app(List.of(TENANT)), token);
        assertThat(entra.jwksFetches() - before).isEqualTo(1);
        clock.advance(java.time.Duration.ofSeconds(601));
        String later = entra.sign(new JWTClaimsSet.Builder(entra.accessTokenV2(TENANT, "o", API, "access_as_user").build())
                .expirationTime(Date.from(clock.now().plusSeconds(600))).build());
        validator.validate(app(List.of(TENANT)), later);
        assertThat(entra.jwksFetches() - before).isEqualTo(2);
    }

    @Test
    void keyRotationIsPickedUpOnceTheCooldownAllows() {
        String token = entra.sign(entra.accessTokenV2(TENANT, "o", API, "access_as_user").build());
        validator.validate(app(List.of(TENANT)), token);
        entra.rotateKeys();
        String rotated = entra.sign(entra.accessTokenV2(TENANT, "o", API, "access_as_user").build());
        // The first unknown kid refetches at once if the last fetch is older than the cool-down.
        clock.advance(java.time.Duration.ofSeconds(61));
        JWTClaimsSet fresh = entra.accessTokenV2(TENANT, "o", API, "access_as_user").build();
        String rotatedLater = entra.sign(new JWTClaimsSet.Builder(fresh).expirationTime(Date.from(clock.now().plusSeconds(600))).build());
        assertThat(validator.validate(app(List.of(TENANT)), rotatedLater)).isNotNull();
        assertThat(rotated).isNotEqualTo(token);
    }

    @Test
    void legacyExchangeTokensOnlyFromAllowListedMetadata() {
        String token = exchange.sign(exchange.identityToken("mailbox-1", ADDIN).build());
        IdentityTokenValidator.VerifiedIdentity id = validator.validate(app(List.of(TENANT)), token);
        assertThat(id.issuerKey()).isEqualTo("exchange:" + exchange.metadataUrl());
        assertThat(id.subject()).isEqualTo("mailbox-1");

        String wrongAudience = exchange.sign(exchange.identityToken("mailbox-1", "https://other.example/").build());
        assertThatThrownBy(() -> validator.validate(app(List.of(TENANT)), wrongAudience)).hasMessageContaining("not meant");

        // A token pointing at a metadata URL that is not allowed: refused before anything is fetched.
        try (FakeExchangeServer rogue = new FakeExchangeServer()) {
            String foreign = rogue.sign(rogue.identityToken("mailbox-2", ADDIN).build());
            assertThatThrownBy(() -> validator.validate(app(List.of(TENANT)), foreign)).hasMessageContaining("not allowed");
            assertThat(rogue.requests()).isEmpty();
        }
        AppSettings off = new AppSettings(null, null, new AppSettings.Identity(null, null, null,
                new AppSettings.ExchangeLegacy(false, List.of(exchange.metadataUrl()), List.of(ADDIN))));
        assertThatThrownBy(() -> validator.validate(off, token)).hasMessageContaining("issuer is not accepted");
    }
}
