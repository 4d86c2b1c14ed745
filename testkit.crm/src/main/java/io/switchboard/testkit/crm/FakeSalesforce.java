package io.switchboard.testkit.crm;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.switchboard.testkit.http.FakeRequest;
import io.switchboard.testkit.http.FakeResponse;
import io.switchboard.testkit.oauth.FakeOAuthProvider;
import io.switchboard.testkit.oauth.OAuthProfile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Salesforce as its public documentation describes it: OAuth under {@code /services/oauth2} (PKCE;
 * token responses without {@code expires_in}, with {@code instance_url}, {@code id},
 * {@code issued_at} and the HMAC {@code signature}), the identity URL {@code /id/<org>/<user>},
 * and a REST subset under {@code /services/data/vXX.X}: sObject create / read / update / delete
 * and SOQL queries ({@code SELECT fields FROM Type [WHERE Field = 'value'] [LIMIT n]}) paged with
 * {@code nextRecordsUrl}. Errors are JSON arrays {@code [{"message","errorCode"}]}; an invalid or
 * expired token answers 401 {@code INVALID_SESSION_ID}; every API response carries
 * {@code Sforce-Limit-Info}. Records live in memory: tests seed and inspect them.
 */
public class FakeSalesforce extends FakeOAuthProvider {

    /**
     * Salesforce answers every refused grant with 400 (a bad client too), and a refresh token it
     * no longer honours (revoked, expired by policy or idle time) with
     * {@code {"error":"invalid_grant","error_description":"expired access/refresh token"}}.
     */
    @Override
    protected FakeResponse refusal(String grantType, String error, String description) {
        return FakeResponse.json(400, error(error, "refresh_token".equals(grantType) && "invalid_grant".equals(error)
                ? "expired access/refresh token" : description));
    }
    /**
     * Salesforce's OAuth: code and refresh grants under {@code /services/oauth2}, PKCE optional
     * (a connected app may require it), the client's secret in the body or as Basic, form bodies;
     * refresh-token rotation is opt-in per connected app, so off; revoking a token it does not
     * know is 400 {@code invalid_token}.
     */
    public static final OAuthProfile PROFILE = OAuthProfile.standard("/services/oauth2")
            .withGrantTypes("authorization_code", "refresh_token").withRotation(false).withUnknownTokensRefusedAtRevocation();
    /** Salesforce during maintenance or overload: 503 with an HTML page, not JSON. */
    @Override
    protected FakeResponse outage() {
        return new FakeResponse(503, java.util.Map.of("Content-Type", java.util.List.of("text/html")),
                "<html><body>Service Unavailable: maintenance in progress</body></html>".getBytes(StandardCharsets.UTF_8));
    }

    public static final String ORG_ID = "00D5g000004SeedAAA";
    /** The fields of the standard objects written here (a subset of Salesforce's; enough to refuse what the org lacks). */
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "Contact", Set.of("FirstName", "LastName", "Email", "Phone", "Title", "AccountId", "Department", "MailingCity", "Description", "OwnerId"),
            "Account", Set.of("Name", "Website", "Phone", "Industry", "BillingCity", "Description", "OwnerId"),
            "Lead", Set.of("FirstName", "LastName", "Email", "Phone", "Company", "Status", "Title", "Description", "OwnerId"),
            "Opportunity", Set.of("Name", "Amount", "StageName", "CloseDate", "AccountId", "Description", "OwnerId"),
            "Task", Set.of("Subject", "Status", "ActivityDate", "WhoId", "WhatId", "Description", "Priority", "TaskSubtype", "Type", "OwnerId"),
            "Event", Set.of("Subject", "StartDateTime", "EndDateTime", "WhoId", "WhatId", "Description", "OwnerId"),
            "Note", Set.of("Title", "Body", "ParentId", "IsPrivate", "OwnerId"));
    private static final Map<String, List<String>> REQUIRED = Map.of("Contact", List.of("LastName"), "Account", List.of("Name"),
            "Lead", List.of("LastName", "Company"), "Opportunity", List.of("Name", "StageName", "CloseDate"),
            "Event", List.of("StartDateTime", "EndDateTime"), "Note", List.of("ParentId", "Title"));
    private static final Pattern SOQL = Pattern.compile(
            "SELECT\\s+(.+?)\\s+FROM\\s+(\\w+)(?:\\s+WHERE\\s+(\\w+)\\s*=\\s*'([^']*)')?(?:\\s+LIMIT\\s+(\\d+))?\\s*",
            Pattern.CASE_INSENSITIVE);

    private final Map<String, Map<String, Map<String, Object>>> store = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger(1000);
    private final AtomicInteger apiCalls = new AtomicInteger();
    private volatile String instanceUrl;
    private volatile int pageSize = 2000;

    public FakeSalesforce(String clientId, String clientSecret) {
        super(clientId, clientSecret, PROFILE);
        accessTokenLifetime(java.time.Duration.ofHours(2));
        route("GET", "/id/", this::identity);
        route("*", "/services/data/", this::api);
    }

    /** The login URL (what the connector's {@code login.url} points at in tests). */
    public String loginUrl() {
        return baseUri().toString();
    }

    /** The {@code instance_url} token responses report (default: this fake). */
    public void instanceUrl(String url) {
        this.instanceUrl = url;
    }

    /** Records per query page (Salesforce: up to 2000). */
    public void pageSize(int size) {
        this.pageSize = size;
    }

    /** API calls so far (REST, not OAuth). */
    public int apiCalls() {
        return apiCalls.get();
    }

    /** Adds a record and returns its id. */
    public String seed(String type, Map<String, Object> fields) {
        String id = newId(type);
        Map<String, Object> record = new LinkedHashMap<>(fields);
        record.put("Id", id);
        store.computeIfAbsent(type, k -> new ConcurrentHashMap<>()).put(id, record);
        return id;
    }

    /** The records of a type, as stored. */
    public List<Map<String, Object>> records(String type) {
        return new ArrayList<>(store.getOrDefault(type, Map.of()).values());
    }

    public static String userIdOf(String subject) {
        String digits = String.format("%012d", Math.abs((long) subject.hashCode()) % 1_000_000_000_000L);
        return "005" + digits + "AAA";
    }

    @Override
    protected Map<String, Object> tokenResponse(Map<String, Object> standard, String subject, Map<String, String> request) {
        Map<String, Object> body = new LinkedHashMap<>(standard);
        body.remove("expires_in"); // the lifetime is the org's session timeout: a 401 is the signal
        String id = baseUri() + "/id/" + ORG_ID + "/" + userIdOf(subject);
        String issuedAt = Long.toString(System.currentTimeMillis());
        body.put("instance_url", instanceUrl == null ? baseUri().toString() : instanceUrl);
        body.put("id", id);
        body.put("issued_at", issuedAt);
        body.put("signature", sign(id + issuedAt));
        return body;
    }

    private String sign(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String subject(FakeRequest r) {
        String auth = r.header("Authorization");
        return auth != null && auth.startsWith("Bearer ") ? subjectOf(auth.substring(7)) : null;
    }

    private FakeResponse identity(FakeRequest r) {
        String subject = subject(r);
        if (subject == null) {
            return FakeResponse.of(403, "text/plain", "Bad_OAuth_Token");
        }
        String[] parts = r.path().split("/");
        if (parts.length != 4 || !ORG_ID.equals(parts[2]) || !userIdOf(subject).equals(parts[3])) {
            return FakeResponse.of(403, "text/plain", "Bad_Id");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", baseUri() + r.path());
        body.put("organization_id", ORG_ID);
        body.put("user_id", parts[3]);
        body.put("username", subject + "@example.com.sandbox");
        body.put("display_name", "User " + subject);
        body.put("email", subject + "@example.com");
        return FakeResponse.json(200, JSONObjectUtils.toJSONString(body));
    }

    private FakeResponse api(FakeRequest r) {
        apiCalls.incrementAndGet();
        if (subject(r) == null) {
            return errors(401, "INVALID_SESSION_ID", "Session expired or invalid")
                    .withHeader("WWW-Authenticate", "Token");
        }
        Matcher m = Pattern.compile("/services/data/(v\\d+\\.\\d)(/.*)?").matcher(r.path());
        if (!m.matches()) {
            return errors(404, "NOT_FOUND", "The requested resource does not exist");
        }
        String version = m.group(1);
        String rest = m.group(2) == null ? "" : m.group(2);
        FakeResponse answer;
        if (rest.equals("/query") && r.method().equals("GET")) {
            answer = query(version, r.queryParams().get("q"), 0, batchSize(r));
        } else if (rest.startsWith("/query/") && r.method().equals("GET")) {
            String locator = rest.substring("/query/".length());
            int dash = locator.lastIndexOf('-');
            String soql = new String(Base64.getUrlDecoder().decode(locator.substring(0, dash)), StandardCharsets.UTF_8);
            String[] position = locator.substring(dash + 1).split("_");
            answer = query(version, soql, Integer.parseInt(position[0]), Integer.parseInt(position[1]));
        } else if (rest.startsWith("/sobjects/")) {
            answer = sobjects(r, version, rest.substring("/sobjects/".length()).split("/"));
        } else {
            answer = errors(404, "NOT_FOUND", "The requested resource does not exist");
        }
        return answer.withHeader("Sforce-Limit-Info", "api-usage=" + apiCalls.get() + "/15000");
    }

    private FakeResponse sobjects(FakeRequest r, String version, String[] path) {
        String type = path[0];
        Map<String, Map<String, Object>> records = store.computeIfAbsent(type, k -> new ConcurrentHashMap<>());
        if (path.length == 1 && r.method().equals("POST")) {
            Map<String, Object> fields = r.jsonObject();
            if (fields == null) {
                return errors(400, "JSON_PARSER_ERROR", "The request body is not valid JSON");
            }
            FakeResponse invalid = invalid(type, fields, true);
            if (invalid != null) {
                return invalid;
            }
            String id = seed(type, fields);
            return FakeResponse.json(201, "{\"id\":\"" + id + "\",\"success\":true,\"errors\":[]}");
        }
        if (path.length != 2) {
            return errors(404, "NOT_FOUND", "The requested resource does not exist");
        }
        Map<String, Object> record = records.get(path[1]);
        if (record == null) {
            return errors(404, "NOT_FOUND", "The requested resource does not exist");
        }
        switch (r.method()) {
            case "GET":
                return FakeResponse.json(200, JSONObjectUtils.toJSONString(withAttributes(version, type, record)));
            case "PATCH": {
                Map<String, Object> fields = r.jsonObject();
                if (fields == null) {
                    return errors(400, "JSON_PARSER_ERROR", "The request body is not valid JSON");
                }
                fields.remove("Id");
                FakeResponse invalid = invalid(type, fields, false);
                if (invalid != null) {
                    return invalid;
                }
                record.putAll(fields);
                return FakeResponse.empty(204);
            }
            case "DELETE":
                records.remove(path[1]);
                return FakeResponse.empty(204);
            default:
                return errors(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + r.method() + "' not allowed");
        }
    }

    /**
     * Salesforce's validation of a write to a standard object: a field the object does not have is
     * {@code INVALID_FIELD}, a required one missing on create is {@code REQUIRED_FIELD_MISSING}
     * (a Note needs its {@code ParentId}). Custom objects ({@code __c}) are not checked.
     */
    private static FakeResponse invalid(String type, Map<String, Object> fields, boolean create) {
        Set<String> known = FIELDS.get(type);
        if (known == null) {
            return null;
        }
        for (String field : fields.keySet()) {
            if (!known.contains(field)) {
                return FakeResponse.json(400, "[{\"message\":\"No such column '" + field + "' on sobject of type " + type
                        + "\",\"errorCode\":\"INVALID_FIELD\",\"fields\":[]}]");
            }
        }
        List<String> missing = create ? REQUIRED.getOrDefault(type, List.of()).stream().filter(f -> fields.get(f) == null).toList() : List.of();
        if (!missing.isEmpty()) {
            return FakeResponse.json(400, "[{\"message\":\"Required fields are missing: " + missing + "\",\"errorCode\":"
                    + "\"REQUIRED_FIELD_MISSING\",\"fields\":[\"" + String.join("\",\"", missing) + "\"]}]");
        }
        return null;
    }

    /** {@code Sforce-Query-Options: batchSize=n} (200–2000 at Salesforce; any size here), else the page size. */
    private int batchSize(FakeRequest r) {
        String options = r.header("Sforce-Query-Options");
        Matcher m = options == null ? null : Pattern.compile("batchSize=(\\d+)").matcher(options);
        return m != null && m.find() ? Integer.parseInt(m.group(1)) : pageSize;
    }

    private FakeResponse query(String version, String soql, int offset, int size) {
        Matcher q = soql == null ? null : SOQL.matcher(soql);
        if (q == null || !q.matches()) {
            return errors(400, "MALFORMED_QUERY", "unexpected token: " + (soql == null ? "" : soql));
        }
        String type = q.group(2);
        List<String> fields = new ArrayList<>();
        for (String f : q.group(1).split(",")) {
            fields.add(f.trim());
        }
        List<Map<String, Object>> matching = new ArrayList<>();
        for (Map<String, Object> record : store.getOrDefault(type, Map.of()).values()) {
            if (q.group(3) == null || String.valueOf(record.get(q.group(3))).equalsIgnoreCase(q.group(4))) {
                matching.add(record);
            }
        }
        matching.sort((a, b) -> String.valueOf(a.get("Id")).compareTo(String.valueOf(b.get("Id"))));
        if (q.group(5) != null) {
            matching = matching.subList(0, Math.min(matching.size(), Integer.parseInt(q.group(5))));
        }
        int end = Math.min(matching.size(), offset + size);
        List<Object> page = new ArrayList<>();
        for (Map<String, Object> record : matching.subList(Math.min(offset, matching.size()), end)) {
            Map<String, Object> projected = new LinkedHashMap<>();
            for (String f : fields) {
                projected.put(f, record.get(f));
            }
            page.add(withAttributes(version, type, projected.containsKey("Id") ? projected : withId(projected, record)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("totalSize", matching.size());
        body.put("done", end >= matching.size());
        if (end < matching.size()) {
            String locator = Base64.getUrlEncoder().withoutPadding().encodeToString(soql.getBytes(StandardCharsets.UTF_8)) + "-" + end
                    + "_" + size;
            body.put("nextRecordsUrl", "/services/data/" + version + "/query/" + locator);
        }
        body.put("records", page);
        return FakeResponse.json(200, JSONObjectUtils.toJSONString(body));
    }

    private static Map<String, Object> withId(Map<String, Object> projected, Map<String, Object> record) {
        Map<String, Object> copy = new LinkedHashMap<>();
        copy.put("Id", record.get("Id"));
        copy.putAll(projected);
        return copy;
    }

    private static Map<String, Object> withAttributes(String version, String type, Map<String, Object> record) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("type", type);
        attributes.put("url", "/services/data/" + version + "/sobjects/" + type + "/" + record.get("Id"));
        out.put("attributes", attributes);
        out.putAll(record);
        return out;
    }

    private String newId(String type) {
        String prefix = switch (type) {
            case "Contact" -> "003";
            case "Account" -> "001";
            case "Lead" -> "00Q";
            case "Opportunity" -> "006";
            case "Task" -> "00T";
            default -> "a0X";
        };
        return prefix + String.format(Locale.ROOT, "%012d", ids.incrementAndGet()) + "AAA";
    }


    private static FakeResponse errors(int status, String code, String message) {
        return FakeResponse.json(status, "[{\"message\":\"" + message.replace("\"", "'") + "\",\"errorCode\":\"" + code + "\"}]");
    }


    /** The next {@code count} calls get Salesforce's own answer to a spent org limit: 403 {@code REQUEST_LIMIT_EXCEEDED}. */
    public void rateLimitNext(int count) {
        failNext(count, errors(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
                .withHeader("Sforce-Limit-Info", "api-usage=15000/15000"));
    }

    /** The next {@code count} calls get Salesforce's 503 {@code SERVER_UNAVAILABLE}. */
    public void unavailableNext(int count) {
        failNext(count, errors(503, "SERVER_UNAVAILABLE", "Server temporarily unavailable"));
    }
}
