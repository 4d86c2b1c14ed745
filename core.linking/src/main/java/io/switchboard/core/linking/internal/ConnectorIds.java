package io.switchboard.core.linking.internal;

import java.util.regex.Pattern;

final class ConnectorIds {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private ConnectorIds() {}

    static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }
}
