package io.switchboard.testkit.crm;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.oauth.FakeOAuthProvider;
import io.switchboard.testkit.oauth.OAuthProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A SugarCRM instance as its public documentation describes it, REST v11 at {@code /rest/v11_x}: the
 * password grant with JSON bodies, client {@code sugar}, a required {@code platform}, one-hour
 * access tokens and rotating refresh tokens ({@code refresh_expires_in}); {@code OAuth-Token}
 * on every call; {@code GET /me}; {@code POST /oauth2/logout}; modules with list
 * ({@code max_num}, {@code offset}, {@code next_offset}), get, create, update ({@code PUT}) and
 * the filter API. Creates need the module's required fields (422 {@code missing_parameter}); members
 * that are not fields of the module are dropped, as Sugar does. Errors are {@code {"error","error_message"}}.
 */
public class FakeSugarCrm extends FakeOAuthProvider {

    /**
     * Sugar's token endpoint answers a refused grant with 401 and its own member names:
     * {@code {"error":"invalid_grant","error_message":"…"}} (a dead refresh token, a wrong password).
     */
    @Override
    protected FakeResponse refusal(String grantType, String error, String description) {
        return FakeResponse.json(401, "{\"error\":\"" + error + "\",\"error_message\":\"" + description + "\"}");
    }
    private static final String REST = "/rest/v11_x";
    /**
     * Sugar's OAuth: only a token endpoint, JSON bodies with the public client {@code sugar} (empty
     * secret) among the members, password and refresh grants (no third-party code flow, so no
     * authorization endpoint or PKCE), rotating refresh tokens; a session ends at {@code /oauth2/logout}.
     */
    public static final OAuthProfile PROFILE = OAuthProfile.standard(REST + "/oauth2").withPaths(null, REST + "/oauth2/token", null, null)
            .withGrantTypes("password", "refresh_token").withClientAuthentication(OAuthProfile.ClientAuthentication.BODY)
            .withEncoding(OAuthProfile.BodyEncoding.JSON).withPkce(OAuthProfile.Pkce.UNSUPPORTED);

    private static final Set<String> COMMON = Set.of("description", "assigned_user_id", "parent_type", "parent_id", "date_entered",
            "date_modified");
    /** The fields (vardefs) of the modules written here: a subset of Sugar's, enough to lose what a module lacks. */
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "Contacts", with("first_name", "last_name", "email1", "phone_work", "phone_mobile", "title", "account_id", "account_name",
                    "department", "primary_address_city"),
            "Leads", with("first_name", "last_name", "email1", "phone_work", "account_name", "status", "title"),
            "Accounts", with("name", "website", "phone_office", "industry", "billing_address_city"),
            "Opportunities", with("name", "amount", "sales_stage", "date_closed", "account_id"),
            "Tasks", with("name", "status", "date_due", "contact_id", "priority"),
            "Notes", with("name", "contact_id"),
            "Meetings", with("name", "date_start", "duration_hours", "duration_minutes", "status", "location"),
            "Calls", with("name", "date_start", "duration_hours", "duration_minutes", "status", "direction"),
            "Emails", with("name", "state", "date_sent", "type", "status", "description_html", "from_addr_name", "to_addrs_names",
                    "cc_addrs_names"));
    /** Fields a create must carry (Sugar: 422 {@code missing_parameter}). */
    private static final Map<String, List<String>> REQUIRED = Map.of("Contacts", List.of("last_name"), "Leads", List.of("last_name"),
            "Accounts", List.of("name"), "Opportunities", List.of("name", "date_closed", "sales_stage"), "Tasks", List.of("name"),
            "Notes", List.of("name"), "Meetings", List.of("name", "date_start"), "Calls", List.of("name", "date_start"),
            "Emails", List.of("name"));

    private final Map<String, Map<String, Map<String, Object>>> store = new ConcurrentHashMap<>();
    /** The latest session per user and platform: its access and refresh token. */
    private final Map<String, String[]> sessions = new ConcurrentHashMap<>();
    private final List<String> platforms = new CopyOnWriteArrayList<>();
    private final List<String> logouts = new CopyOnWriteArrayList<>();
    private final AtomicInteger apiCalls = new AtomicInteger();

    public FakeSugarCrm() {
        super("sugar", "", PROFILE);
        accessTokenLifetime(java.time.Duration.ofHours(1));
        route("POST", REST + "/oauth2/logout", this::logout);
        route("GET", REST + "/me", this::me);
        route("*", REST + "/", this::modules);
    }

    /** The instance URL a user types. */
    public String instanceUrl() {
        return baseUri().toString();
    }

    /** The platforms token requests named. */
    public List<String> platforms() {
        return List.copyOf(platforms);
    }

    /** Access tokens logged out. */
    public List<String> logouts() {
        return List.copyOf(logouts);
    }

    public int apiCalls() {
        return apiCalls.get();
    }

    public String seed(String module, Map<String, Object> fields) {
        String id = UUID.randomUUID().toString();
        Map<String, Object> record = new LinkedHashMap<>(fields);
        record.put("id", id);
        record.put("_module", module);
        store.computeIfAbsent(module, k -> new ConcurrentHashMap<>()).put(id, record);
        return id;
    }

    public List<Map<String, Object>> records(String module) {
        List<Map<String, Object>> out = new ArrayList<>(store.getOrDefault(module, Map.of()).values());
        out.sort((a, b) -> String.valueOf(a.get("id")).compareTo(String.valueOf(b.get("id"))));
        return out;
    }

    @Override
    protected String refuse(Map<String, String> params) {
        String platform = params.get("platform");
        platforms.add(platform == null ? "" : platform);
        return platform == null || platform.isBlank() ? "invalid_request" : null;
    }

    /**
     * A new password login on a platform ends the user's earlier session on that platform (Sugar
     * keeps one per user and platform): its access token stops working and its refresh token dies.
     */
    @Override
    protected Map<String, Object> tokenResponse(Map<String, Object> standard, String subject, Map<String, String> request) {
        if ("password".equals(request.get("grant_type"))) {
            String[] earlier = sessions.put(subject + "\u0000" + request.get("platform"),
                    new String[] {(String) standard.get("access_token"), (String) standard.get("refresh_token")});
            if (earlier != null) {
                invalidateAccessToken(earlier[0]);
                revokeRefreshToken(earlier[1]);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>(standard);
        body.put("refresh_expires_in", 1_209_600);
        body.put("download_token", "dl-" + UUID.randomUUID());
        return body;
    }

    private String subject(FakeRequest r) {
        String token = r.header("OAuth-Token");
        return token == null ? null : subjectOf(token);
    }

    private FakeResponse logout(FakeRequest r) {
        String token = r.header("OAuth-Token");
        if (token == null || subjectOf(token) == null) {
            return error(401, "invalid_grant", "The access token provided is invalid.");
        }
        logouts.add(token);
        invalidateAccessToken(token);
        return FakeResponse.json(200, "{\"success\":true}");
    }

    private FakeResponse me(FakeRequest r) {
        String subject = subject(r);
        if (subject == null) {
            return error(401, "invalid_grant", "The access token provided is invalid.");
        }
        return FakeResponse.json(200, "{\"current_user\":{\"id\":\"user-" + subject + "\",\"user_name\":\"" + subject
                + "\",\"full_name\":\"User " + subject + "\",\"type\":\"user\"}}");
    }

    private FakeResponse modules(FakeRequest r) {
        apiCalls.incrementAndGet();
        if (subject(r) == null) {
            return error(401, "invalid_grant", "The access token provided is invalid.");
        }
        String[] path = r.path().substring((REST + "/").length()).split("/");
        String module = path[0];
        Map<String, Map<String, Object>> records = store.computeIfAbsent(module, k -> new ConcurrentHashMap<>());
        if (path.length == 1 && r.method().equals("GET")) {
            Map<String, String> q = r.queryParams();
            return page(records(module), Integer.parseInt(q.getOrDefault("offset", "0")), Integer.parseInt(q.getOrDefault("max_num", "20")));
        }
        if (path.length == 1 && r.method().equals("POST")) {
            Map<String, Object> body = r.jsonObject();
            if (body == null) {
                return error(400, "invalid_parameter", "Invalid JSON");
            }
            for (String required : REQUIRED.getOrDefault(module, List.of())) {
                if (body.get(required) == null || String.valueOf(body.get(required)).isBlank()) {
                    return error(422, "missing_parameter", "Missing parameter: " + required);
                }
            }
            String id = seed(module, known(module, body));
            return FakeResponse.json(200, JSONObjectUtils.toJSONString(records.get(id)));
        }
        if (path.length == 2 && path[1].equals("filter") && r.method().equals("POST")) {
            Map<String, Object> body = r.jsonObject();
            List<Map<String, Object>> matching = new ArrayList<>();
            try {
                Map<?, ?> condition = (Map<?, ?>) ((List<?>) body.get("filter")).get(0);
                Map<?, ?> email = (Map<?, ?>) condition.get("email");
                String value = String.valueOf(email.get("$equals"));
                for (Map<String, Object> record : records(module)) {
                    if (value.equalsIgnoreCase(String.valueOf(record.get("email1")))) {
                        matching.add(record);
                    }
                }
            } catch (RuntimeException e) {
                return error(422, "invalid_parameter", "Invalid filter");
            }
            return page(matching, 0, 100);
        }
        if (path.length == 2) {
            Map<String, Object> record = records.get(path[1]);
            if (record == null) {
                return error(404, "not_found", "Could not find record: " + path[1] + " in module: " + module);
            }
            if (r.method().equals("GET")) {
                return FakeResponse.json(200, JSONObjectUtils.toJSONString(record));
            }
            if (r.method().equals("PUT")) {
                Map<String, Object> body = r.jsonObject();
                if (body == null) {
                    return error(400, "invalid_parameter", "Invalid JSON");
                }
                record.putAll(known(module, body));
                return FakeResponse.json(200, JSONObjectUtils.toJSONString(record));
            }
        }
        return error(404, "not_found", "Your request was not supported.");
    }

    /**
     * The members of a body that are fields of the module: Sugar saves fields its vardefs define
     * and silently ignores any other member (so a value sent under a wrong name is lost, and a
     * read back shows it). Modules outside this subset keep everything.
     */
    private static Map<String, Object> known(String module, Map<String, Object> body) {
        Set<String> fields = FIELDS.get(module);
        Map<String, Object> kept = new LinkedHashMap<>();
        body.forEach((name, value) -> {
            if (fields == null ? !name.equals("id") : fields.contains(name)) {
                kept.put(name, value);
            }
        });
        return kept;
    }

    private static FakeResponse page(List<Map<String, Object>> all, int offset, int max) {
        int end = Math.min(all.size(), offset + max);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("next_offset", end < all.size() ? end : -1);
        body.put("records", all.subList(Math.min(offset, all.size()), end));
        return FakeResponse.json(200, JSONObjectUtils.toJSONString(body));
    }



    private static Set<String> with(String... fields) {
        Set<String> all = new java.util.HashSet<>(COMMON);
        all.addAll(List.of(fields));
        return Set.copyOf(all);
    }

    private static FakeResponse error(int status, String label, String message) {
        return FakeResponse.json(status, "{\"error\":\"" + label + "\",\"error_message\":\"" + message + "\"}");
    }

    /** Sugar's token endpoint during maintenance: 503 {@code service_unavailable} in its own member names. */
    @Override
    protected FakeResponse outage() {
        return error(503, "service_unavailable", "The service is unavailable for maintenance.");
    }

    /** The next {@code count} calls get Sugar's 503 {@code service_unavailable} (Sugar documents no rate-limit answer). */
    public void unavailableNext(int count) {
        failNext(count, error(503, "service_unavailable", "The service is unavailable for maintenance."));
    }
}
