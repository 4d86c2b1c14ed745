package io.switchboard.core.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.switchboard.core.identity.internal.IdentityEntities.SigningKeyEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import io.switchboard.testkit.time.MutableClock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Session access tokens: expiry (also for cached verifications), tampering, keys of other instances, rotation. */
class SessionKeysTest {
    final MutableClock clock = new MutableClock();
    final List<SigningKeyEntity> table = new CopyOnWriteArrayList<>();
    final AtomicInteger reads = new AtomicInteger();
    final SessionKeys.PublicKeyTable db = new SessionKeys.PublicKeyTable() {
        @Override
        public void publish(SigningKeyEntity row, Instant now) {
            table.add(row);
        }

        @Override
        public List<SigningKeyEntity> valid(Instant now) {
            reads.incrementAndGet();
            return table.stream().filter(r -> r.expiresAt.toInstant().isAfter(now)).toList();
        }
    };

    JWTClaimsSet claims(Duration lifetime) {
        return new JWTClaimsSet.Builder().issuer(SessionKeys.ISSUER).audience("app").subject("user").claim("sid", "s1")
                .issueTime(Date.from(clock.now())).expirationTime(Date.from(clock.now().plus(lifetime))).build();
    }

    @Test
    void expiredTokensAreRefusedEvenWhenTheirVerificationWasCached() {
        SessionKeys keys = new SessionKeys(db, clock, Duration.ofHours(24), Duration.ofMinutes(15));
        String token = keys.sign(claims(Duration.ofMinutes(15)));
        assertThat(keys.verify(token)).isNotNull();
        assertThat(keys.verify(token)).isNotNull();
        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertThat(keys.verify(token)).isNull();
        String neverCached = keys.sign(claims(Duration.ofSeconds(-1)));
        assertThat(keys.verify(neverCached)).isNull();
    }

    @Test
    void tamperedAndForeignTokensAreRefused() {
        SessionKeys keys = new SessionKeys(db, clock, Duration.ofHours(24), Duration.ofMinutes(15));
        String token = keys.sign(claims(Duration.ofMinutes(15)));
        String[] parts = token.split("\\.");
        String otherPayload = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims(Duration.ofMinutes(15)).toString().replace("user", "admin").getBytes());
        assertThat(keys.verify(parts[0] + "." + otherPayload + "." + parts[2])).isNull();
        SessionKeys stranger = new SessionKeys(new SessionKeys.PublicKeyTable() {
            @Override
            public void publish(SigningKeyEntity row, Instant now) {}

            @Override
            public List<SigningKeyEntity> valid(Instant now) {
                return List.of();
            }
        }, clock, Duration.ofHours(24), Duration.ofMinutes(15));
        assertThat(keys.verify(stranger.sign(claims(Duration.ofMinutes(15))))).isNull();
        assertThat(keys.verify("not.a.token")).isNull();
    }

    @Test
    void anotherInstancesTokensVerifyThroughThePublishedKeyWithBoundedReads() {
        SessionKeys a = new SessionKeys(db, clock, Duration.ofHours(24), Duration.ofMinutes(15));
        SessionKeys b = new SessionKeys(db, clock, Duration.ofHours(24), Duration.ofMinutes(15));
        String fromA = a.sign(claims(Duration.ofMinutes(15)));
        assertThat(b.verify(fromA)).isNotNull();
        int before = reads.get();
        for (int i = 0; i < 100; i++) {
            b.verify(a.sign(claims(Duration.ofMinutes(15))).replaceFirst("^[^.]+", "eyJraWQiOiJ1bmtub3duLWtpZCIsImFsZyI6IkVTMjU2In0"));
        }
        assertThat(reads.get() - before).as("table reads for a flood of unknown key ids").isLessThanOrEqualTo(1);
    }

    @Test
    void keysRotateAndOldTokensStayValidUntilTheyExpire() {
        SessionKeys keys = new SessionKeys(db, clock, Duration.ofHours(1), Duration.ofMinutes(15));
        keys.sign(claims(Duration.ofMinutes(15))); // the first key
        clock.advance(Duration.ofMinutes(50));
        String old = keys.sign(claims(Duration.ofMinutes(15))); // signed 10 minutes before the key rotates
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        String fresh = keys.sign(claims(Duration.ofMinutes(15)));
        assertThat(table).as("a new key was published").hasSize(2);
        assertThat(keys.verify(fresh)).isNotNull();
        // Issue 17: the token of the previous key stays valid until it expires, here and on another instance.
        assertThat(keys.verify(old)).as("signed with the previous key, not yet expired").isNotNull();
        assertThat(new SessionKeys(db, clock, Duration.ofHours(1), Duration.ofMinutes(15)).verify(old)).isNotNull();
        clock.advance(Duration.ofMinutes(5));
        assertThat(keys.verify(old)).as("expired by now").isNull();
        assertThat(keys.verify(fresh)).isNotNull();
    }
}
