package io.switchboard.testkit.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.switchboard.testkit.gmail.FakeGmail;
import io.switchboard.testkit.mailbox.FakeGraph;
import io.switchboard.testkit.oauth.FakeGoogleOAuth;
import io.switchboard.testkit.oauth.FakeMicrosoftLogin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The calendar facts the fakes reproduce, each of which a naive client gets wrong: Graph's calendar
 * view needs its window and writes times in UTC with the zone the event was made in kept aside;
 * a Teams meeting only when asked; Google orders by start only for single events, makes a Meet
 * only with {@code conferenceDataVersion=1}, answers an insert with 200, keeps deleted events as
 * 410; its sync token comes only on a listing's last page and expires.
 */
class CalendarFakesTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void graphsCalendarViewNeedsItsWindowAndATeamsMeetingComesWithTheEvent() throws Exception {
        try (FakeMicrosoftLogin login = new FakeMicrosoftLogin("ms", "secret"); FakeGraph graph = new FakeGraph(login)) {
            new FakeGraphCalendar(graph);
            String token = login.accessTokenFor("adele");
            HttpResponse<String> noWindow = get(graph.baseUri() + "/v1.0/me/calendarView", token);
            assertThat(noWindow.statusCode()).isEqualTo(400);
            assertThat(noWindow.body()).contains("ErrorInvalidParameter");
            HttpResponse<String> created = post(graph.baseUri() + "/v1.0/me/events", token, "{\"subject\":\"Demo\",\"start\":{\"dateTime\":"
                    + "\"2026-12-03T15:00:00\",\"timeZone\":\"W. Europe Standard Time\"},\"end\":{\"dateTime\":\"2026-12-03T16:00:00\","
                    + "\"timeZone\":\"W. Europe Standard Time\"},\"isOnlineMeeting\":true,\"onlineMeetingProvider\":\"teamsForBusiness\"}");
            assertThat(created.statusCode()).isEqualTo(201);
            Map<String, Object> event = JSONObjectUtils.parse(created.body());
            assertThat(String.valueOf(event.get("start"))).as("written in UTC").contains("2026-12-03T14:00:00.0000000").contains("UTC");
            assertThat(event).containsEntry("originalStartTimeZone", "W. Europe Standard Time");
            assertThat(String.valueOf(event.get("onlineMeeting"))).contains("https://teams.microsoft.com/l/meetup-join/");
            assertThat(get(graph.baseUri() + "/v1.0/me/calendarView", null).statusCode()).as("Graph's own authentication").isEqualTo(401);
        }
    }

    @Test
    void googleCalendarOrdersByStartOnlyForSingleEventsAndMakesAMeetOnlyForConferenceDataVersion1() throws Exception {
        try (FakeGoogleOAuth google = new FakeGoogleOAuth("g", "secret"); FakeGmail gmail = new FakeGmail(google)) {
            new FakeGoogleCalendar(gmail);
            String token = google.accessTokenFor("sam");
            String events = gmail.baseUri() + "/calendar/v3/calendars/primary/events";
            assertThat(get(events + "?orderBy=startTime", token).statusCode()).isEqualTo(400);
            String body = "{\"summary\":\"Demo\",\"start\":{\"dateTime\":\"2026-12-03T15:00:00+01:00\"},\"end\":{\"dateTime\":"
                    + "\"2026-12-03T16:00:00+01:00\"},\"conferenceData\":{\"createRequest\":{\"requestId\":\"r1\",\"conferenceSolutionKey\":"
                    + "{\"type\":\"hangoutsMeet\"}}}}";
            HttpResponse<String> ignored = post(events, token, body);
            assertThat(ignored.statusCode()).as("insert answers 200").isEqualTo(200);
            assertThat(ignored.body()).as("conferenceData ignored without conferenceDataVersion=1").doesNotContain("conferenceData");
            Map<String, Object> pending = JSONObjectUtils.parse(post(events + "?conferenceDataVersion=1", token, body).body());
            assertThat(String.valueOf(pending.get("conferenceData"))).contains("pending");
            String id = String.valueOf(pending.get("id"));
            assertThat(id).matches("[a-v0-9]{5,1024}");
            Map<String, Object> later = JSONObjectUtils.parse(get(events + "/" + id, token).body());
            assertThat(String.valueOf(later.get("hangoutLink"))).startsWith("https://meet.google.com/");
            HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(URI.create(events + "/" + id)).header("Authorization", "Bearer " + token)
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(deleted.statusCode()).isEqualTo(204);
            assertThat(get(events + "/" + id, token).statusCode()).isEqualTo(410);
            assertThat(get(events, null).statusCode()).as("Google's own authentication").isEqualTo(401);
        }
    }

    /**
     * Google Calendar's sync tokens: only on a listing's last page, not combinable with a window,
     * a deleted event back as {@code cancelled}, a forgotten token 410 {@code fullSyncRequired}.
     */
    @Test
    void googleCalendarSyncTokensComeLastRefuseAWindowAndExpire() throws Exception {
        try (FakeGoogleOAuth google = new FakeGoogleOAuth("g", "secret"); FakeGmail gmail = new FakeGmail(google)) {
            FakeGoogleCalendar calendar = new FakeGoogleCalendar(gmail);
            String token = google.accessTokenFor("fay");
            Instant at = Instant.parse("2026-12-10T09:00:00Z");
            String first = calendar.invite("fay", "boss@example.com", "One", at, at.plusSeconds(600));
            calendar.invite("fay", "boss@example.com", "Two", at.plusSeconds(3600), at.plusSeconds(4200));
            String events = gmail.baseUri() + "/calendar/v3/calendars/primary/events?singleEvents=true&maxResults=1";
            Map<String, Object> page = JSONObjectUtils.parse(get(events, token).body());
            assertThat(page).containsKey("nextPageToken").doesNotContainKey("nextSyncToken");
            page = JSONObjectUtils.parse(get(events + "&pageToken=" + page.get("nextPageToken"), token).body());
            String sync = (String) page.get("nextSyncToken");
            assertThat(sync).isNotNull();
            assertThat(get(events + "&syncToken=" + sync + "&timeMin=2026-12-01T00:00:00Z", token).statusCode()).isEqualTo(400);

            calendar.cancelEvent("fay", first);
            Map<String, Object> changes = JSONObjectUtils.parse(get(events + "&syncToken=" + sync, token).body());
            assertThat(String.valueOf(changes.get("items"))).contains(first).contains("cancelled").doesNotContain("Two");
            calendar.forgetSyncTokens("fay");
            HttpResponse<String> gone = get(events + "&syncToken=" + changes.get("nextSyncToken"), token);
            assertThat(gone.statusCode()).isEqualTo(410);
            assertThat(gone.body()).contains("fullSyncRequired");
        }
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String token, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
