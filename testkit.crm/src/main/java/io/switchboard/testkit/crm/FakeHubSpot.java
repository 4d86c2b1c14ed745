package io.switchboard.testkit.crm;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.oauth.FakeOAuthProvider;
import io.switchboard.testkit.oauth.OAuthProfile;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HubSpot as its public documentation describes it: OAuth at {@code /oauth/authorize} and
 * {@code /oauth/v1/token} (30-minute tokens, refresh tokens kept), token info at
 * {@code /oauth/v1/access-tokens/{token}}, grant revocation by {@code DELETE
 * /oauth/v1/refresh-tokens/{token}}, and CRM v3 objects: list with {@code limit}/{@code after}/
 * {@code properties}, get, create, patch, and {@code POST .../search} with {@code filterGroups};
 * paged answers {@code {results, paging: {next: {after}}}}; engagements (emails, meetings) keep
 * their {@code associations}. Errors are {@code {"status":"error","message","correlationId",
 * "category"}}; 401 {@code INVALID_AUTHENTICATION}; more than {@code budget} calls per 10 s per
 * account (each linked account has its own window, as each HubSpot account does) answer 429
 * {@code {"errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}} with the
 * {@code X-HubSpot-RateLimit-*} headers, which every API answer carries.
 */
public class FakeHubSpot extends FakeOAuthProvider {
    /** What HubSpot answers without {@code properties}: these per object, and the common ones. */
    private static final List<String> COMMON_DEFAULTS = List.of("hs_object_id", "createdate", "lastmodifieddate", "hs_createdate",
            "hs_lastmodifieddate");
    private static final Map<String, List<String>> DEFAULT_PROPERTIES = Map.of(
            "contacts", List.of("firstname", "lastname", "email"),
            "companies", List.of("name", "domain"),
            "deals", List.of("dealname", "amount", "closedate", "pipeline", "dealstage"),
            "emails", List.of("hs_timestamp"), "meetings", List.of("hs_timestamp"), "notes", List.of("hs_timestamp"));
    private static final List<String> ENGAGEMENTS = List.of("emails", "meetings", "notes", "calls", "tasks");
    /**
     * HubSpot's OAuth: {@code /oauth/authorize} and a form-encoded {@code /oauth/v1/token} with
     * {@code client_id} and {@code client_secret} among the parameters (no Basic), code and refresh
     * grants, PKCE optional, no rotation (the linked refresh token stays valid), no RFC 7009
     * endpoint (a grant ends by deleting its refresh token) and no userinfo.
     */
    public static final OAuthProfile PROFILE = OAuthProfile.standard("").withPaths("/oauth/authorize", "/oauth/v1/token", null, null)
            .withGrantTypes("authorization_code", "refresh_token").withClientAuthentication(OAuthProfile.ClientAuthentication.BODY)
            .withRotation(false);
    public static final long HUB_ID = 24_681_357L;

    private final Map<String, Map<String, Map<String, Object>>> store = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger(5000);
    private final AtomicInteger apiCalls = new AtomicInteger();
    private final Map<String, ConcurrentLinkedDeque<Long>> windows = new ConcurrentHashMap<>();
    private volatile int budget = 100;

    public FakeHubSpot(String clientId, String clientSecret) {
        super(clientId, clientSecret, PROFILE);
        accessTokenLifetime(java.time.Duration.ofMinutes(30));
        route("GET", "/oauth/v1/access-tokens/", this::tokenInfo);
        route("DELETE", "/oauth/v1/refresh-tokens/", this::deleteRefreshToken);
        route("*", "/crm/v3/objects/", this::objects);
    }

    /**
     * HubSpot's token endpoint does not answer in RFC 6749's shape: every refusal is 400 with
     * {@code {"status","message","correlationId"}} and no {@code error} member: a dead refresh
     * token is {@code BAD_REFRESH_TOKEN} "missing or invalid refresh token"; a code
     * {@code BAD_AUTH_CODE} or {@code BAD_REDIRECT_URI}; a client {@code BAD_CLIENT_ID}; a grant
     * type {@code BAD_GRANT_TYPE}; anything else {@code BAD_REQUEST}.
     */
    @Override
    protected FakeResponse refusal(String grantType, String error, String description) {
        boolean refresh = "refresh_token".equals(grantType);
        String status = switch (error) {
            case "invalid_grant" -> refresh ? "BAD_REFRESH_TOKEN" : description.contains("redirect_uri") ? "BAD_REDIRECT_URI" : "BAD_AUTH_CODE";
            case "invalid_client" -> "BAD_CLIENT_ID";
            case "unsupported_grant_type" -> "BAD_GRANT_TYPE";
            default -> "BAD_REQUEST";
        };
        String message = switch (status) {
            case "BAD_REFRESH_TOKEN" -> "missing or invalid refresh token";
            case "BAD_AUTH_CODE" -> "missing or unknown auth code";
            case "BAD_CLIENT_ID" -> "missing or unknown client id";
            default -> description;
        };
        return FakeResponse.json(400, "{\"status\":\"" + status + "\",\"message\":\"" + message + "\",\"correlationId\":\""
                + java.util.UUID.randomUUID() + "\"}");
    }

    /** HubSpot's own error shape for an overloaded token endpoint: 429 with its rate-limit policy. */
    @Override
    protected FakeResponse outage() {
        return FakeResponse.json(429, "{\"status\":\"error\",\"message\":\"You have reached your secondly limit.\",\"errorType\":\"RATE_LIMIT\","
                + "\"correlationId\":\"" + java.util.UUID.randomUUID() + "\",\"policyName\":\"SECONDLY\"}").withHeader("Retry-After", "1");
    }

    /** Calls allowed per 10 s before 429 (HubSpot: 100 for OAuth apps). */
    public void budget(int calls) {
        this.budget = calls;
    }

    public int apiCalls() {
        return apiCalls.get();
    }

    /** Adds a record ({@code properties}) of an object type and returns its id. */
    public String seed(String object, Map<String, Object> properties) {
        String id = Integer.toString(ids.incrementAndGet());
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", id);
        record.put("properties", new LinkedHashMap<>(properties));
        record.put("createdAt", Instant.now().toString());
        record.put("updatedAt", Instant.now().toString());
        record.put("archived", false);
        store.computeIfAbsent(object, k -> new ConcurrentHashMap<>()).put(id, record);
        return id;
    }

    /** The stored records of an object type (with {@code properties} and, for engagements, {@code associations}). */
    public List<Map<String, Object>> records(String object) {
        return new ArrayList<>(store.getOrDefault(object, Map.of()).values());
    }

    private FakeResponse tokenInfo(FakeRequest r) {
        String token = URLDecoder.decode(r.path().substring("/oauth/v1/access-tokens/".length()), StandardCharsets.UTF_8);
        String subject = subjectOf(token);
        if (subject == null) {
            return error(404, "NOT_FOUND", "The access token is not found or expired");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token);
        body.put("user", subject + "@example.com");
        body.put("hub_domain", "demo-" + HUB_ID + ".hubspot.com");
        body.put("scopes", List.of("oauth", "crm.objects.contacts.read"));
        body.put("hub_id", HUB_ID);
        body.put("app_id", 1234);
        body.put("expires_in", 1800);
        body.put("user_id", Math.abs(subject.hashCode()));
        body.put("token_type", "access");
        return FakeResponse.json(200, JSONObjectUtils.toJSONString(body));
    }

    private FakeResponse deleteRefreshToken(FakeRequest r) {
        String token = URLDecoder.decode(r.path().substring("/oauth/v1/refresh-tokens/".length()), StandardCharsets.UTF_8);
        return revokeRefreshToken(token) ? FakeResponse.empty(204) : error(404, "NOT_FOUND", "refresh token not found");
    }

    private FakeResponse objects(FakeRequest r) {
        apiCalls.incrementAndGet();
        String auth = r.header("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || subjectOf(auth.substring(7)) == null) {
            return error(401, "INVALID_AUTHENTICATION", "Authentication credentials not found.");
        }
        long now = System.currentTimeMillis();
        ConcurrentLinkedDeque<Long> window = windows.computeIfAbsent(subjectOf(auth.substring(7)), k -> new ConcurrentLinkedDeque<>());
        window.addLast(now);
        while (!window.isEmpty() && window.peekFirst() < now - 10_000) {
            window.pollFirst();
        }
        int remaining = Math.max(0, budget - window.size());
        if (window.size() > budget) {
            return rateLimited();
        }
        String[] path = r.path().substring("/crm/v3/objects/".length()).split("/");
        String object = path[0];
        Map<String, Map<String, Object>> records = store.computeIfAbsent(object, k -> new ConcurrentHashMap<>());
        FakeResponse answer;
        if (path.length == 1 && r.method().equals("GET")) {
            answer = list(object, records, r.queryParams());
        } else if (path.length == 1 && r.method().equals("POST")) {
            answer = create(object, r);
        } else if (path.length == 2 && path[1].equals("search") && r.method().equals("POST")) {
            answer = search(object, records, r);
        } else if (path.length == 2) {
            Map<String, Object> record = records.get(path[1]);
            if (record == null) {
                answer = error(404, "OBJECT_NOT_FOUND", "resource not found");
            } else if (r.method().equals("GET")) {
                answer = FakeResponse.json(200, JSONObjectUtils.toJSONString(view(object, record, requested(r.queryParams().get("properties")))));
            } else if (r.method().equals("PATCH")) {
                Map<String, Object> body = r.jsonObject();
                if (body == null || !(body.get("properties") instanceof Map<?, ?> props)) {
                    answer = error(400, "VALIDATION_ERROR", "Invalid input JSON");
                } else {
                    properties(record).putAll(cast(props));
                    record.put("updatedAt", Instant.now().toString());
                    answer = FakeResponse.json(200, JSONObjectUtils.toJSONString(record));
                }
            } else if (r.method().equals("DELETE")) {
                records.remove(path[1]);
                answer = FakeResponse.empty(204);
            } else {
                answer = error(405, "METHOD_NOT_ALLOWED", "method not allowed");
            }
        } else {
            answer = error(404, "OBJECT_NOT_FOUND", "resource not found");
        }
        return limits(answer, remaining);
    }

    private FakeResponse limits(FakeResponse answer, int remaining) {
        return answer.withHeader("X-HubSpot-RateLimit-Max", Integer.toString(budget))
                .withHeader("X-HubSpot-RateLimit-Remaining", Integer.toString(remaining))
                .withHeader("X-HubSpot-RateLimit-Interval-Milliseconds", "10000");
    }

    private FakeResponse list(String object, Map<String, Map<String, Object>> records, Map<String, String> q) {
        int limit = Math.min(100, Integer.parseInt(q.getOrDefault("limit", "10")));
        List<Map<String, Object>> sorted = new ArrayList<>(records.values());
        sorted.sort((a, b) -> Integer.compare(Integer.parseInt((String) a.get("id")), Integer.parseInt((String) b.get("id"))));
        int after = Integer.parseInt(q.getOrDefault("after", "0"));
        int start = 0;
        while (start < sorted.size() && Integer.parseInt((String) sorted.get(start).get("id")) <= after) {
            start++;
        }
        List<Map<String, Object>> page = sorted.subList(start, Math.min(sorted.size(), start + limit));
        List<String> requested = requested(q.get("properties"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("results", page.stream().map(record -> view(object, record, requested)).toList());
        if (start + limit < sorted.size()) {
            body.put("paging", Map.of("next", Map.of("after", page.get(page.size() - 1).get("id"),
                    "link", "https://api.hubapi.com/crm/v3/objects/" + object + "?after=" + page.get(page.size() - 1).get("id"))));
        }
        return FakeResponse.json(200, JSONObjectUtils.toJSONString(body));
    }

    private FakeResponse create(String object, FakeRequest r) {
        Map<String, Object> body = r.jsonObject();
        if (body == null || !(body.get("properties") instanceof Map<?, ?> props)) {
            return error(400, "VALIDATION_ERROR", "Invalid input JSON on line 1");
        }
        if (object.equals("contacts") && props.get("email") != null && String.valueOf(props.get("email")).indexOf('@') < 0) {
            return error(400, "VALIDATION_ERROR", "Property values were not valid: email");
        }
        if (ENGAGEMENTS.contains(object) && props.get("hs_timestamp") == null) {
            return error(400, "VALIDATION_ERROR", "Property values were not valid: hs_timestamp is required");
        }
        String id = seed(object, cast(props));
        Map<String, Object> record = store.get(object).get(id);
        if (body.get("associations") != null) {
            record.put("associations", body.get("associations"));
        }
        return FakeResponse.json(201, JSONObjectUtils.toJSONString(record));
    }

    /**
     * {@code POST .../search}: filter groups ORed, the filters of a group ANDed, with HubSpot's
     * operators ({@code EQ} and {@code NEQ} ignoring case, {@code CONTAINS_TOKEN}, {@code HAS_PROPERTY},
     * {@code NOT_HAS_PROPERTY}; others are refused), {@code limit} (10 by default, at most 200),
     * {@code after} and {@code properties} as on a list.
     */
    private FakeResponse search(String object, Map<String, Map<String, Object>> records, FakeRequest r) {
        Map<String, Object> body = r.jsonObject();
        List<Map<String, Object>> results = new ArrayList<>();
        int limit;
        int after;
        List<String> requested;
        try {
            limit = body.get("limit") == null ? 10 : ((Number) body.get("limit")).intValue();
            after = body.get("after") == null ? 0 : Integer.parseInt(String.valueOf(body.get("after")));
            requested = body.get("properties") == null ? List.of() : ((List<?>) body.get("properties")).stream().map(String::valueOf).toList();
            if (limit < 1 || limit > 200) {
                return error(400, "VALIDATION_ERROR", "limit must be between 1 and 200");
            }
            List<?> groups = body.get("filterGroups") == null ? List.of() : (List<?>) body.get("filterGroups");
            for (Map<String, Object> record : records.values()) {
                boolean any = groups.isEmpty();
                for (Object group : groups) {
                    boolean all = true;
                    for (Object f : (List<?>) ((Map<?, ?>) group).get("filters")) {
                        Map<?, ?> filter = (Map<?, ?>) f;
                        Object actual = properties(record).get(String.valueOf(filter.get("propertyName")));
                        all &= matches(String.valueOf(filter.get("operator")), actual == null ? null : String.valueOf(actual),
                                filter.get("value") == null ? null : String.valueOf(filter.get("value")));
                    }
                    any |= all;
                }
                if (any && Integer.parseInt((String) record.get("id")) > after) {
                    results.add(record);
                }
            }
        } catch (IllegalArgumentException e) {
            return error(400, "VALIDATION_ERROR", e.getMessage());
        } catch (RuntimeException e) {
            return error(400, "VALIDATION_ERROR", "Invalid search request");
        }
        results.sort((x, y) -> Integer.compare(Integer.parseInt((String) x.get("id")), Integer.parseInt((String) y.get("id"))));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("total", results.size());
        List<Map<String, Object>> page = results.subList(0, Math.min(limit, results.size()));
        answer.put("results", page.stream().map(record -> view(object, record, requested)).toList());
        if (results.size() > limit) {
            answer.put("paging", Map.of("next", Map.of("after", page.get(page.size() - 1).get("id"))));
        }
        return FakeResponse.json(200, JSONObjectUtils.toJSONString(answer));
    }

    private static boolean matches(String operator, String actual, String value) {
        return switch (operator) {
            case "EQ" -> actual != null && actual.equalsIgnoreCase(value);
            case "NEQ" -> actual == null || !actual.equalsIgnoreCase(value);
            case "CONTAINS_TOKEN" -> actual != null && value != null
                    && List.of(actual.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}@.]+")).contains(value.toLowerCase(java.util.Locale.ROOT));
            case "HAS_PROPERTY" -> actual != null;
            case "NOT_HAS_PROPERTY" -> actual == null;
            default -> throw new IllegalArgumentException("operator " + operator + " is not supported here");
        };
    }

    /**
     * A record as HubSpot answers it: only the object's default properties and those asked for
     * with {@code properties}, never everything it holds.
     */
    private static Map<String, Object> view(String object, Map<String, Object> record, List<String> requested) {
        Map<String, Object> copy = new LinkedHashMap<>(record);
        Map<String, Object> shown = new LinkedHashMap<>();
        properties(record).forEach((name, value) -> {
            if (DEFAULT_PROPERTIES.getOrDefault(object, COMMON_DEFAULTS).contains(name) || COMMON_DEFAULTS.contains(name)
                    || requested.contains(name)) {
                shown.put(name, value);
            }
        });
        copy.put("properties", shown);
        return copy;
    }

    private static List<String> requested(String properties) {
        return properties == null || properties.isBlank() ? List.of() : List.of(properties.split(","));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Object> record) {
        return (Map<String, Object>) record.get("properties");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }



    private static FakeResponse error(int status, String category, String message) {
        return FakeResponse.json(status, "{\"status\":\"error\",\"message\":\"" + message + "\",\"correlationId\":\""
                + java.util.UUID.randomUUID() + "\",\"category\":\"" + category + "\"}");
    }

    /** The next {@code count} calls get HubSpot's 429 for the ten-secondly limit, with its rate-limit headers. */
    public void rateLimitNext(int count) {
        failNext(count, rateLimited());
    }

    private FakeResponse rateLimited() {
        return limits(FakeResponse.json(429, "{\"status\":\"error\",\"message\":\"You have reached your ten_secondly_rolling limit.\","
                + "\"errorType\":\"RATE_LIMIT\",\"correlationId\":\"" + java.util.UUID.randomUUID() + "\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}"), 0);
    }

    /** The next {@code count} calls get HubSpot's 503 error body. */
    public void unavailableNext(int count) {
        failNext(count, error(503, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable."));
    }
}
