package io.switchboard.core.api.util;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Services of one kind tracked by their {@code connector.id}, for core bundles that follow
 * connectors as they come and go. When two carry the same id (an upgrade in progress), the one
 * registered last wins; when it leaves, the earlier one answers again.
 */
public final class ServicesById<S> {
    private record Entry<S>(String id, S service) {}

    private final List<Entry<S>> entries = new CopyOnWriteArrayList<>();

    public void add(String id, S service) {
        entries.add(new Entry<>(id, service));
    }

    public void remove(S service) {
        entries.removeIf(e -> e.service() == service);
    }

    public Optional<S> find(String id) {
        S found = null;
        for (Entry<S> e : entries) {
            if (e.id().equals(id)) {
                found = e.service();
            }
        }
        return Optional.ofNullable(found);
    }

    public TreeSet<String> ids() {
        TreeSet<String> ids = new TreeSet<>();
        entries.forEach(e -> ids.add(e.id()));
        return ids;
    }
}
