package io.switchboard.core.identity.internal;

import com.nimbusds.jwt.JWTClaimsSet;
import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.util.Digests;
import io.switchboard.core.identity.internal.IdentityEntities.OrganizationEntity;
import io.switchboard.core.identity.internal.IdentityEntities.RefreshTokenEntity;
import io.switchboard.core.identity.internal.IdentityEntities.SessionEntity;
import io.switchboard.core.identity.internal.IdentityEntities.UserEntity;
import io.switchboard.core.store.api.Store;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.LockModeType;
import javax.persistence.PersistenceException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switchboard sessions (docs/security.md S18): a short-lived ES256 access token checked without a database read,
 * and an opaque 256-bit refresh token stored only as a hash and rotated on every use; presenting
 * a used refresh token again revokes the whole session. Logout, operator revocation and deleting
 * the app take effect at once on this instance and within {@code revocation.poll.seconds} on the others.
 */
@Designate(ocd = IdentityConfig.class)
@Component(service = SessionService.class, configurationPid = IdentityConfig.PID)
public class SessionService {
    private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);

    /** A new or refreshed session, as the add-in receives it. */
    record Issued(String accessToken, long expiresIn, String refreshToken, UserEntity user, OrganizationEntity organization,
                  String sessionId) {}

    /** What a transaction decided; the access token is signed after it commits, not while it holds a connection. */
    private record Unsigned(JWTClaimsSet claims, String refreshToken, UserEntity user, OrganizationEntity organization,
                            String sessionId) {}

    private Issued sign(Unsigned u) {
        return new Issued(keys.sign(u.claims()), accessLifetime.toSeconds(), u.refreshToken(), u.user(), u.organization(), u.sessionId());
    }

    private final Store store;
    private final EntityManagerFactory unit;
    private final AppRepository apps;
    private final Clock clock = Clock.systemUTC();
    private final Duration accessLifetime;
    private final Duration idle;
    private final Duration absolute;
    private final SessionKeys keys;
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller;
    private volatile Instant polledUntil;

    @Activate
    public SessionService(@Reference Store store,
                          @Reference(target = "(osgi.unit.name=switchboard.identity)") EntityManagerFactory unit,
                          @Reference AppRepository apps, IdentityConfig config) {
        this.store = store;
        this.unit = unit;
        this.apps = apps;
        this.accessLifetime = Duration.ofSeconds(Math.max(30, config.access_token_seconds()));
        this.idle = Duration.ofSeconds(Math.max(60, config.session_idle_seconds()));
        this.absolute = Duration.ofSeconds(Math.max(60, config.session_absolute_seconds()));
        this.keys = new SessionKeys(store, unit, clock, Duration.ofSeconds(Math.max(60, config.signing_key_rotation_seconds())),
                accessLifetime);
        this.polledUntil = clock.instant().minus(accessLifetime);
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-session-revocations");
            t.setDaemon(true);
            return t;
        });
        int poll = Math.max(1, config.revocation_poll_seconds());
        poller.scheduleWithFixedDelay(this::pollRevocations, poll, poll, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        poller.shutdownNow();
    }

    /** The verified claims of the session token in an Authorization header, or 401. */
    JWTClaimsSet verifiedClaims(String authorizationHeader) {
        String token = Bearer.token(authorizationHeader);
        if (token == null) {
            throw ProblemException.unauthorized("a Switchboard session is required (Authorization: Bearer <access token>)");
        }
        JWTClaimsSet claims = keys.verify(token);
        if (claims == null) {
            throw ProblemException.unauthorized("the session token is invalid or has expired");
        }
        String sid = (String) claims.getClaim("sid");
        if (sid == null || revoked.containsKey(sid) || claims.getAudience().isEmpty() || apps.find(claims.getAudience().get(0)).isEmpty()) {
            throw ProblemException.unauthorized("the session has ended");
        }
        return claims;
    }

    /** Signs a user in: upserts the organization and the user (keyed by issuer and subject, never email). */
    Issued create(String appId, IdentityTokenValidator.VerifiedIdentity identity) {
        for (int attempt = 0; ; attempt++) {
            try {
                return sign(store.transaction(unit, em -> {
                    Instant now = clock.instant();
                    OrganizationEntity org = identity.organizationId() == null ? null : upsertOrganization(em, appId, identity, now);
                    UserEntity user = upsertUser(em, appId, identity, org, now);
                    SessionEntity session = new SessionEntity();
                    session.id = io.switchboard.core.api.util.Ids.uuid();
                    session.appId = appId;
                    session.userId = user.id;
                    session.createdAt = session.lastUsedAt = Timestamp.from(now);
                    session.absoluteExpiresAt = Timestamp.from(now.plus(absolute));
                    em.persist(session);
                    // EclipseLink does not order inserts of unrelated entities by foreign key.
                    em.flush();
                    return issue(em, session, user, org, now);
                }));
            } catch (PersistenceException e) {
                // Two first sign-ins of the same user or organization at once: the loser retries and finds the row.
                if (attempt >= 2) {
                    throw e;
                }
            }
        }
    }

    /** Rotates a refresh token. A token that was already used revokes its session (reuse detection). */
    Issued refresh(String appId, String refreshToken) {
        if (refreshToken == null || refreshToken.isBlank() || refreshToken.length() > 200) {
            throw ProblemException.unauthorized("a refresh token is required");
        }
        String hash = Digests.sha256Hex(refreshToken.trim());
        Object result = store.transaction(unit, em -> {
            Instant now = clock.instant();
            RefreshTokenEntity token = em.find(RefreshTokenEntity.class, hash, LockModeType.PESSIMISTIC_WRITE);
            if (token == null) {
                return ProblemException.unauthorized("the refresh token is not valid");
            }
            SessionEntity session = em.find(SessionEntity.class, token.sessionId, LockModeType.PESSIMISTIC_WRITE);
            if (session == null || (appId != null && !appId.equals(session.appId))) {
                return ProblemException.unauthorized("the refresh token is not valid");
            }
            if (session.revokedAt != null) {
                return ProblemException.unauthorized("the session has ended");
            }
            if (token.usedAt != null) {
                revoke(session, now, "refresh-token-reuse");
                LOG.warn("Refresh token reused: session {} of app {} revoked", session.id, session.appId);
                return ProblemException.unauthorized("the refresh token was already used; the session has been ended");
            }
            if (now.isAfter(session.absoluteExpiresAt.toInstant()) || now.isAfter(session.lastUsedAt.toInstant().plus(idle))) {
                revoke(session, now, "expired");
                return ProblemException.unauthorized("the session has expired; sign in again");
            }
            token.usedAt = Timestamp.from(now);
            session.lastUsedAt = Timestamp.from(now);
            UserEntity user = em.find(UserEntity.class, session.userId);
            OrganizationEntity org = user.organizationId == null ? null : em.find(OrganizationEntity.class, user.organizationId);
            return issue(em, session, user, org, now);
        });
        if (result instanceof ProblemException p) {
            throw p;
        }
        return sign((Unsigned) result);
    }

    /** Ends a session now (logout). */
    void revoke(String sessionId, String reason) {
        store.run(unit, em -> {
            SessionEntity session = em.find(SessionEntity.class, sessionId, LockModeType.PESSIMISTIC_WRITE);
            if (session != null && session.revokedAt == null) {
                revoke(session, clock.instant(), reason);
            }
        });
    }

    /** Ends every session of a user (operator action); returns how many were ended. */
    int revokeAll(String appId, String userId) {
        Instant now = clock.instant();
        List<String> ids = store.transaction(unit, em -> {
            List<SessionEntity> sessions = em.createQuery(
                    "SELECT s FROM SessionEntity s WHERE s.appId = :app AND s.userId = :user AND s.revokedAt IS NULL", SessionEntity.class)
                    .setParameter("app", appId).setParameter("user", userId).getResultList();
            sessions.forEach(s -> revoke(s, now, "operator"));
            return sessions.stream().map(s -> s.id).toList();
        });
        return ids.size();
    }

    private void revoke(SessionEntity session, Instant now, String reason) {
        session.revokedAt = Timestamp.from(now);
        session.revokedReason = reason;
        revoked.put(session.id, now.plus(accessLifetime));
    }

    private Unsigned issue(EntityManager em, SessionEntity session, UserEntity user, OrganizationEntity org, Instant now) {
        String refresh = "sbr_" + AppRepository.randomToken(32);
        RefreshTokenEntity token = new RefreshTokenEntity();
        token.tokenHash = Digests.sha256Hex(refresh);
        token.sessionId = session.id;
        token.issuedAt = Timestamp.from(now);
        em.persist(token);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(SessionKeys.ISSUER)
                .audience(session.appId)
                .subject(user.id)
                .claim("sid", session.id).claim("idp", user.issuerKey).claim("ext", user.subject) // who signed in, to tie accounts to
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(accessLifetime)))
                .jwtID(io.switchboard.core.api.util.Ids.uuid());
        if (org != null) {
            claims.claim("org", org.id);
            claims.claim("org_kind", org.kind);
            claims.claim("org_ext", org.externalId);
        }
        // Profile claims let /v1/me answer without a database read; they are no secrets.
        if (user.email != null) {
            claims.claim("email", user.email);
        }
        if (user.displayName != null) {
            claims.claim("name", user.displayName);
        }
        return new Unsigned(claims.build(), refresh, user, org, session.id);
    }

    private static OrganizationEntity upsertOrganization(EntityManager em, String appId,
                                                         IdentityTokenValidator.VerifiedIdentity identity, Instant now) {
        List<OrganizationEntity> found = em.createQuery(
                "SELECT o FROM OrganizationEntity o WHERE o.appId = :app AND o.kind = :kind AND o.externalId = :ext", OrganizationEntity.class)
                .setParameter("app", appId).setParameter("kind", identity.organizationKind())
                .setParameter("ext", identity.organizationId()).getResultList();
        if (!found.isEmpty()) {
            return found.get(0);
        }
        OrganizationEntity org = new OrganizationEntity();
        org.id = io.switchboard.core.api.util.Ids.uuid();
        org.appId = appId;
        org.kind = identity.organizationKind();
        org.externalId = identity.organizationId();
        org.name = identity.organizationKind().equals("google") ? identity.organizationId() : null;
        org.createdAt = Timestamp.from(now);
        em.persist(org);
        em.flush();
        return org;
    }

    private static UserEntity upsertUser(EntityManager em, String appId, IdentityTokenValidator.VerifiedIdentity identity,
                                         OrganizationEntity org, Instant now) {
        List<UserEntity> found = em.createQuery(
                "SELECT u FROM UserEntity u WHERE u.appId = :app AND u.issuerKey = :iss AND u.subject = :sub", UserEntity.class)
                .setParameter("app", appId).setParameter("iss", identity.issuerKey())
                .setParameter("sub", identity.subject()).getResultList();
        UserEntity user;
        if (found.isEmpty()) {
            user = new UserEntity();
            user.id = io.switchboard.core.api.util.Ids.uuid();
            user.appId = appId;
            user.issuerKey = identity.issuerKey();
            user.subject = identity.subject();
            user.createdAt = Timestamp.from(now);
            em.persist(user);
        } else {
            user = found.get(0);
        }
        // Profile fields follow the newest token; the key (issuer, subject) never changes.
        user.email = identity.email();
        user.displayName = identity.name();
        user.organizationId = org == null ? null : org.id;
        user.lastSeenAt = Timestamp.from(now);
        em.flush();
        return user;
    }

    private void pollRevocations() {
        try {
            Instant now = clock.instant();
            Instant since = polledUntil.minusSeconds(2);
            List<String> ids = store.transaction(unit, em -> em.createQuery(
                    "SELECT s.id FROM SessionEntity s WHERE s.revokedAt >= :since", String.class)
                    .setParameter("since", Timestamp.from(since)).getResultList());
            ids.forEach(id -> revoked.putIfAbsent(id, now.plus(accessLifetime)));
            revoked.values().removeIf(until -> until.isBefore(now));
            polledUntil = now;
            apps.reload(); // an app deleted on another instance ends its sessions here too

        } catch (RuntimeException e) {
            LOG.warn("Could not read revoked sessions: {}", e.toString());
        }
    }
}
