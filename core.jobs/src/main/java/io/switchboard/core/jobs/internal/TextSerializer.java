package io.switchboard.core.jobs.internal;

import com.github.kagkarlsson.scheduler.serializer.Serializer;
import java.nio.charset.StandardCharsets;

/** Task data as UTF-8 text (the runs' JSON), readable in the table, instead of Java serialization. */
final class TextSerializer implements Serializer {
    @Override
    public byte[] serialize(Object data) {
        return data == null ? null : data.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public <T> T deserialize(Class<T> type, byte[] bytes) {
        return bytes == null ? null : type.cast(new String(bytes, StandardCharsets.UTF_8));
    }
}
