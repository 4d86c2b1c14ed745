package io.switchboard.core.mailbox.api;

import java.util.List;

/** A page of events and where the next one starts ({@code null}: this was the last). */
public record EventPage(List<CalendarEvent> events, String next) {
    public EventPage {
        events = List.copyOf(events);
    }
}
