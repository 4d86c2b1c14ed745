package io.switchboard.testkit.mailbox;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.util.Map;

/** JSON for the fakes' answers (nulls kept, as the providers write them). */
final class Json {
    private Json() {
    }

    static String write(Map<String, ?> object) {
        return JSONObjectUtils.toJSONString(object);
    }
}
