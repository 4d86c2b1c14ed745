package io.switchboard.core.jobs.internal;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import io.switchboard.core.api.ProblemException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs as the operator's and the developer's APIs show them (never a run's data: it is the app's own). */
final class JobViews {
    static final int MAX_LIMIT = 1000;

    private JobViews() {}

    /**
     * @param state {@code scheduled} (waiting, under way or waiting for its type) or {@code dead}
     * @param app only this app's runs, or {@code null} for all
     */
    static Map<String, Object> list(JobEngine engine, String state, String type, String account, String app, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        List<Map<String, Object>> items = new ArrayList<>();
        switch (state) {
            case "scheduled" -> {
                for (ScheduledExecution<String> e : engine.scheduled(run -> (type == null || type.equals(run.type()))
                        && (account == null || account.equals(run.account())) && (app == null || app.equals(run.app())), Integer.MAX_VALUE)) {
                    Payload run = Payload.read(e.getData());
                    Map<String, Object> item = describe(run);
                    item.put("state", e.isPicked() ? "running" : run.waitingForType() ? "waiting-for-type" : "scheduled");
                    item.put("due", e.getExecutionTime().toString());
                    if (e.isPicked()) {
                        item.put("instance", e.getPickedBy());
                    }
                    items.add(item);
                }
                items.sort(Comparator.comparing(i -> (String) i.get("due")));
            }
            case "dead" -> {
                for (JobRows.Dead dead : engine.rows().deadRuns(type, account, app == null ? limit : MAX_LIMIT)) {
                    if (app != null && !app.equals(dead.app())) {
                        continue;
                    }
                    Map<String, Object> item = describe(Payload.read(dead.payload()));
                    item.put("state", "dead");
                    item.put("attempts", dead.attempts());
                    item.put("lastError", dead.lastError());
                    item.put("diedAt", dead.diedAt().toString());
                    items.add(item);
                }
            }
            default -> throw ProblemException.badRequest("state is scheduled or dead");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items.size() > limit ? items.subList(0, limit) : items);
        return out;
    }

    private static Map<String, Object> describe(Payload run) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", run.id());
        item.put("type", run.type());
        item.put("key", run.key());
        item.put("app", run.app());
        item.put("account", run.account());
        item.put("attempt", run.attempt());
        if (run.every() != null) {
            item.put("everySeconds", run.every() / 1000);
        }
        return item;
    }
}
