package io.switchboard.core.mailbox.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.mailbox.api.BusySlot;
import io.switchboard.core.mailbox.api.CalendarEvent;
import io.switchboard.core.mailbox.api.CalendarInfo;
import io.switchboard.core.mailbox.api.EventChange;
import io.switchboard.core.mailbox.api.EventPage;
import io.switchboard.core.mailbox.api.EventQuery;
import io.switchboard.core.mailbox.api.NewEvent;
import io.switchboard.core.api.util.Cursors;
import io.switchboard.core.rest.api.Caller;
import io.switchboard.core.rest.api.SessionRequired;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
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
 * {@code /v1/calendar/{accountId}/...}: calendars, events in a range (occurrences of recurring
 * ones expanded), one event, an event created (with a Teams or Meet meeting on request), changed,
 * answered, deleted, and when the account is busy. Instants are ISO-8601 with an offset, time zones IANA names.
 */
@Component(service = CalendarResource.class)
@JaxrsResource
@JSONRequired
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@SessionRequired
@Path("v1/calendar")
@Produces(MediaType.APPLICATION_JSON)
public class CalendarResource {
    private static final String ID = "[A-Za-z0-9._=+@-]{1,400}";
    /** The longest range one list or busy query may span. */
    private static final Duration MAX_RANGE = Duration.ofDays(400);

    private final MailboxService mail;

    @Activate
    public CalendarResource(@Reference MailboxService mail) {
        this.mail = mail;
    }

    @GET
    @Path("{accountId}/calendars")
    public Map<String, Object> calendars(@Context SecurityContext security, @PathParam("accountId") String account,
                                         @QueryParam("remote") boolean remote) {
        List<CalendarInfo> calendars = mail.calendar(Caller.of(security), account, (c, http) -> c.calendars(http));
        return Map.of("items", calendars.stream().map(c -> CalendarJson.calendar(c, remote)).toList());
    }

    @GET
    @Path("{accountId}/events")
    public Map<String, Object> events(@Context SecurityContext security, @PathParam("accountId") String account,
                                      @QueryParam("calendar") String calendar, @QueryParam("start") String start,
                                      @QueryParam("end") String end, @QueryParam("limit") Integer limit,
                                      @QueryParam("cursor") String cursor, @QueryParam("remote") boolean remote) {
        Caller caller = Caller.of(security);
        checkId(calendar, "calendar");
        Instant from = CalendarJson.instant("start", start);
        Instant to = CalendarJson.instant("end", end);
        range(from, to);
        EventQuery query = new EventQuery(calendar, from, to, limit == null ? 50 : Math.max(1, Math.min(mail.maxLimit, limit)),
                Cursors.decode(cursor));
        EventPage page = mail.calendar(caller, account, (c, http) -> c.events(http, query));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", page.events().stream().map(e -> CalendarJson.event(e, remote)).toList());
        out.put("cursor", Cursors.encode(page.next()));
        return out;
    }

    @GET
    @Path("{accountId}/events/{id}")
    public Map<String, Object> event(@Context SecurityContext security, @PathParam("accountId") String account, @PathParam("id") String id,
                                     @QueryParam("remote") boolean remote) {
        Caller caller = Caller.of(security);
        checkId(id, "id");
        CalendarEvent event = mail.calendar(caller, account, (c, http) -> c.event(http, id));
        return CalendarJson.event(event, remote);
    }

    @POST
    @Path("{accountId}/events")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context SecurityContext security, @PathParam("accountId") String account, Map<String, Object> body) {
        Caller caller = Caller.of(security);
        NewEvent event = CalendarJson.newEvent(body == null ? Map.of() : body);
        checkId(event.calendarId(), "calendar");
        CalendarEvent created = mail.calendar(caller, account, (c, http) -> c.create(http, event));
        return Response.status(201).entity(CalendarJson.event(created, false)).build();
    }

    /** {@code {subject, body, start, end, timeZone, location, attendees}}, any of them. */
    @PATCH
    @Path("{accountId}/events/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> update(@Context SecurityContext security, @PathParam("accountId") String account, @PathParam("id") String id,
                                      Map<String, Object> body) {
        Caller caller = Caller.of(security);
        checkId(id, "id");
        EventChange change = CalendarJson.change(body == null ? Map.of() : body);
        CalendarEvent updated = mail.calendar(caller, account, (c, http) -> c.update(http, id, change));
        return CalendarJson.event(updated, false);
    }

    /** {@code {response: accepted | tentative | declined, comment}}: the account's user answers an invitation. */
    @POST
    @Path("{accountId}/events/{id}/respond")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response respond(@Context SecurityContext security, @PathParam("accountId") String account, @PathParam("id") String id,
                            Map<String, Object> body) {
        Caller caller = Caller.of(security);
        checkId(id, "id");
        Map<String, Object> answer = body == null ? Map.of() : body;
        String response = MailJson.text(answer, "response", 20);
        if (response == null || !List.of("accepted", "tentative", "declined").contains(response)) {
            throw ProblemException.badRequest("response is accepted, tentative or declined");
        }
        String comment = MailJson.text(answer, "comment", 2000);
        mail.calendar(caller, account, (c, http) -> {
            c.respond(http, id, response, comment);
            return null;
        });
        return Response.noContent().build();
    }

    @DELETE
    @Path("{accountId}/events/{id}")
    public Response delete(@Context SecurityContext security, @PathParam("accountId") String account, @PathParam("id") String id) {
        Caller caller = Caller.of(security);
        checkId(id, "id");
        mail.calendar(caller, account, (c, http) -> {
            c.delete(http, id);
            return null;
        });
        return Response.noContent().build();
    }

    /** {@code {start, end}}: the account's own calendars' busy times in the range. */
    @POST
    @Path("{accountId}/freebusy")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> freeBusy(@Context SecurityContext security, @PathParam("accountId") String account, Map<String, Object> body) {
        Caller caller = Caller.of(security);
        Map<String, Object> range = body == null ? Map.of() : body;
        Instant from = CalendarJson.instant("start", MailJson.text(range, "start", 64));
        Instant to = CalendarJson.instant("end", MailJson.text(range, "end", 64));
        range(from, to);
        List<BusySlot> busy = mail.calendar(caller, account, (c, http) -> c.busy(http, from, to));
        return Map.of("start", from.toString(), "end", to.toString(), "busy", busy.stream().map(CalendarJson::busy).toList());
    }

    private static void range(Instant from, Instant to) {
        if (from == null || to == null || !to.isAfter(from) || Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw ProblemException.badRequest("start and end are required, end after start, at most " + MAX_RANGE.toDays() + " days apart");
        }
    }

    private static void checkId(String id, String name) {
        if (id != null && !id.matches(ID)) {
            throw ProblemException.badRequest(name + " is not an id");
        }
    }
}
