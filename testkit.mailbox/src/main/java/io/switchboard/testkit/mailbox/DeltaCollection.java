package io.switchboard.testkit.mailbox;

import java.util.Map;

/** One collection's items as a Graph delta query sees them ({@link FakeGraph#delta}). */
public interface DeltaCollection {
    /** Every item now, for the first request's parameters: id to (the id a removal names, state). */
    Map<String, String[]> now(Map<String, String> params);

    /** One item's record now, or {@code null} when it is gone. */
    Map<String, Object> item(String id);
}
