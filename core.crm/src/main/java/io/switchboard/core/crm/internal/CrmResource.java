package io.switchboard.core.crm.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.util.Cursors;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.crm.api.CrmFields;
import io.switchboard.core.crm.api.CrmObject;
import io.switchboard.core.crm.api.CrmPage;
import io.switchboard.core.crm.api.CrmRecord;
import io.switchboard.core.crm.api.EmailActivity;
import io.switchboard.core.rest.api.Caller;
import io.switchboard.core.rest.api.SessionRequired;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /v1/crm/{accountId}/...}: the same JSON whatever the CRM. Records are
 * {@code {id, type, fields, remote?}}; lists are {@code {items, cursor}} with an opaque cursor.
 */
@Component(service = CrmResource.class)
@JaxrsResource
@JSONRequired
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@SessionRequired
@Path("v1/crm")
@Produces(MediaType.APPLICATION_JSON)
public class CrmResource {
    private final CrmService crm;

    @Activate
    public CrmResource(@Reference CrmService crm) {
        this.crm = crm;
    }

    /** Who is this sender: the contacts and leads with this email address. */
    @GET
    @Path("{accountId}/people")
    public Map<String, Object> people(@Context SecurityContext security, @PathParam("accountId") String account,
                                      @QueryParam("email") String email, @QueryParam("remote") boolean remote) {
        Caller p = Caller.of(security);
        if (email == null || !email.matches("[^\\s@]{1,200}@[^\\s@]{1,200}")) {
            throw ProblemException.badRequest("email must be an email address");
        }
        List<CrmRecord> people = crm.run(p, account, (c, http) -> c.findPeople(http, email.trim()));
        return Map.of("items", people.stream().map(r -> json(r, remote)).toList());
    }

    @POST
    @Path("{accountId}/activities/{kind}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response activity(@Context SecurityContext security, @PathParam("accountId") String account,
                             @PathParam("kind") String kind, Map<String, Object> body) {
        Caller p = Caller.of(security);
        if (!kind.equals("emails") && !kind.equals("meetings")) {
            throw ProblemException.notFound("activities are emails or meetings");
        }
        EmailActivity activity = activity(kind.equals("emails") ? "email" : "meeting", body == null ? Map.of() : body);
        CrmRecord logged = crm.run(p, account, (c, http) -> c.logActivity(http, activity));
        return Response.status(201).entity(json(logged, false)).build();
    }

    @GET
    @Path("{accountId}/{object}")
    public Map<String, Object> list(@Context SecurityContext security, @PathParam("accountId") String account,
                                    @PathParam("object") String object, @QueryParam("cursor") String cursor,
                                    @QueryParam("limit") Integer limit, @QueryParam("remote") boolean remote) {
        Caller p = Caller.of(security);
        CrmObject type = type(object);
        int size = limit == null ? 50 : Math.max(1, Math.min(crm.maxLimit, limit));
        String next = Cursors.decode(cursor);
        CrmPage page = crm.run(p, account, (c, http) -> c.list(http, type, next, size));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", page.records().stream().map(r -> json(r, remote)).toList());
        out.put("cursor", Cursors.encode(page.next()));
        return out;
    }

    @GET
    @Path("{accountId}/{object}/{id}")
    public Map<String, Object> get(@Context SecurityContext security, @PathParam("accountId") String account,
                                   @PathParam("object") String object, @PathParam("id") String id, @QueryParam("remote") boolean remote) {
        Caller p = Caller.of(security);
        CrmObject type = type(object);
        checkId(id);
        return json(crm.run(p, account, (c, http) -> c.get(http, type, id)), remote);
    }

    @POST
    @Path("{accountId}/{object}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context SecurityContext security, @PathParam("accountId") String account,
                           @PathParam("object") String object, Map<String, Object> body) {
        Caller p = Caller.of(security);
        CrmObject type = type(object);
        Map<String, Object> fields = fields(type, body);
        CrmRecord created = crm.run(p, account, (c, http) -> c.create(http, type, fields));
        return Response.status(201).entity(json(created, false)).build();
    }

    @PATCH
    @Path("{accountId}/{object}/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> update(@Context SecurityContext security, @PathParam("accountId") String account,
                                      @PathParam("object") String object, @PathParam("id") String id, Map<String, Object> body) {
        Caller p = Caller.of(security);
        CrmObject type = type(object);
        checkId(id);
        Map<String, Object> fields = fields(type, body);
        return json(crm.run(p, account, (c, http) -> c.update(http, type, id, fields)), false);
    }

    private static CrmObject type(String path) {
        CrmObject type = CrmObject.ofPath(path);
        if (type == null) {
            throw ProblemException.notFound("unknown CRM object '" + path + "' (contacts, companies, leads, opportunities, tasks, notes)");
        }
        return type;
    }

    private static void checkId(String id) {
        if (!id.matches("[A-Za-z0-9_.:-]{1,100}")) {
            throw ProblemException.badRequest("invalid record id");
        }
    }

    /** The unified fields of the body; anything else is refused so typos do not pass silently. */
    private static Map<String, Object> fields(CrmObject type, Map<String, Object> body) {
        if (body == null) {
            throw ProblemException.badRequest("a JSON object of fields is required");
        }
        Map<String, Object> fields = body.get("fields") instanceof Map<?, ?> nested ? cast(nested) : body;
        List<String> known = CrmFields.FIELDS.get(type);
        for (String name : fields.keySet()) {
            if (!known.contains(name)) {
                throw new ProblemException(422, "validation", "Validation failed",
                        "'" + name + "' is not a field of " + type.path() + " (" + String.join(", ", known) + ")");
            }
        }
        return fields;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static EmailActivity activity(String kind, Map<String, Object> b) {
        Instant date;
        try {
            date = b.get("date") == null ? Instant.now() : Instant.parse(String.valueOf(b.get("date")));
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("date must be an ISO-8601 instant");
        }
        String subject = string(b, "subject");
        if (subject == null || subject.isBlank()) {
            throw new ProblemException(422, "validation", "Validation failed", "subject is required");
        }
        String direction = b.get("direction") == null ? "inbound" : String.valueOf(b.get("direction"));
        if (!direction.equals("inbound") && !direction.equals("outbound")) {
            throw new ProblemException(422, "validation", "Validation failed", "direction is inbound or outbound");
        }
        return new EmailActivity(kind, subject, string(b, "bodyText"), string(b, "bodyHtml"), string(b, "from"), strings(b, "to"),
                strings(b, "cc"), date, direction, strings(b, "contactIds"), string(b, "companyId"));
    }

    private static String string(Map<String, Object> b, String name) {
        return b.get(name) == null ? null : String.valueOf(b.get(name));
    }

    private static List<String> strings(Map<String, Object> b, String name) {
        Object v = b.get(name);
        return v instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    static Map<String, Object> json(CrmRecord r, boolean remote) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", r.id());
        out.put("type", r.type() == null ? null : r.type().path());
        out.put("fields", r.fields());
        if (remote) {
            out.put("remote", r.remote());
        }
        return out;
    }
}
