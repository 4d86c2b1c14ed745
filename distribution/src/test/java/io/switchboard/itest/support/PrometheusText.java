package io.switchboard.itest.support;

/** Reads samples out of a Prometheus text exposition (what {@code GET /metrics} answers). */
public final class PrometheusText {
    private PrometheusText() {}

    /**
     * The sum of the samples of {@code name} whose labels include {@code labels} (0 when none).
     * Label values are compared exactly, e.g. {@code value(text, "switchboard_proxy_requests_seconds_count", "connector", "crm")}.
     */
    public static double value(String text, String name, String... labels) {
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean matches = true;
            for (int i = 0; i + 1 < labels.length; i += 2) {
                matches &= line.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (matches) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** Whether any sample of {@code name} is present. */
    public static boolean has(String text, String name) {
        return text.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " "));
    }
}
