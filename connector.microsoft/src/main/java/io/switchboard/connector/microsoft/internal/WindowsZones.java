package io.switchboard.connector.microsoft.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Graph's time zone names, Windows ones ({@code W. Europe Standard Time}) and IANA ones, as IANA
 * zones and back (CLDR's table, {@code windows-zones.properties}).
 */
final class WindowsZones {
    private static final Map<String, String> TO_IANA = new LinkedHashMap<>();
    private static final Map<String, String> TO_WINDOWS = new LinkedHashMap<>();

    static {
        Properties table = new Properties();
        try (InputStream in = WindowsZones.class.getResourceAsStream("windows-zones.properties")) {
            table.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        table.forEach((windows, iana) -> {
            TO_IANA.put((String) windows, (String) iana);
            TO_WINDOWS.putIfAbsent(ZoneId.of((String) iana).normalized().getId(), (String) windows);
            TO_WINDOWS.putIfAbsent((String) iana, (String) windows);
        });
    }

    private WindowsZones() {
    }

    /** The IANA zone of a name Graph wrote (Windows or IANA), or UTC when it is neither. */
    static ZoneId iana(String graphName) {
        if (graphName == null || graphName.isBlank()) {
            return ZoneOffset.UTC;
        }
        String iana = TO_IANA.get(graphName);
        try {
            return ZoneId.of(iana != null ? iana : graphName);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    /** The Windows name Graph knows for an IANA zone, or {@code null} when the table has none. */
    static String windows(String iana) {
        if (iana.equals("UTC") || iana.equals("Etc/UTC") || iana.equals("Z")) {
            return "UTC";
        }
        String name = TO_WINDOWS.get(iana);
        if (name == null) {
            try {
                name = TO_WINDOWS.get(ZoneId.of(iana).normalized().getId());
            } catch (DateTimeException e) {
                return null;
            }
        }
        return name;
    }
}
