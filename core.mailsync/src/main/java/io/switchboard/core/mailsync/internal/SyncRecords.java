package io.switchboard.core.mailsync.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.util.Cursors;
import io.switchboard.core.api.util.Digests;
import java.util.Map;

/**
 * The index's records: a message's metadata in the unified shape of the API (no bodies, no
 * {@code remote}) as stored JSON with its hash, and the opaque {@code updatedSince} tokens readers
 * page with ({@code seq} and id of the last change they got).
 */
final class SyncRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A reader's position: after the change {@code (seq, id)}. */
    record Position(long seq, String id) {
        static final Position START = new Position(0, "");
    }

    private SyncRecords() {
    }

    /** The row of a record (a message, an event) whose unified form is {@code record}: its bodies are not kept. */
    static SyncRows.Incoming incoming(String id, Map<String, Object> record) {
        Map<String, Object> metadata = new java.util.LinkedHashMap<>(record);
        metadata.remove("textBody");
        metadata.remove("htmlBody");
        metadata.remove("body");
        String json = write(metadata);
        return new SyncRows.Incoming(id, json, Digests.sha256Hex(json));
    }

    static String write(Map<String, Object> record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record could not be written", e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(String json) {
        try {
            return JSON.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an index record could not be read", e);
        }
    }

    static String token(Position p) {
        return Cursors.encode(p.seq() + ":" + p.id());
    }

    /**
     * @throws ProblemException 400 {@code invalid-sync-token} for a token this server did not write
     */
    static Position position(String token) {
        String text = Cursors.decode(token);
        if (text == null) {
            return Position.START;
        }
        try {
            int colon = text.indexOf(':');
            return new Position(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new ProblemException(400, "invalid-sync-token", "Bad Request", "updatedSince is not a token this API gave");
        }
    }
}
