package io.switchboard.core.mailbox.internal;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.switchboard.core.api.connector.Upstream;
import io.switchboard.core.mailbox.api.MailContent;
import io.switchboard.core.outbound.api.AccountCalls;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Content handed on as the provider writes it: an answer's body as it is, or a base64url string
 * member of a JSON answer decoded on the way (Gmail's {@code data} and {@code raw}). Jackson's
 * streaming parser decodes a string it has not read yet straight from its input buffer to the
 * output, a few KiB at a time, so neither path ever holds the whole content.
 */
final class StreamedContent {
    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build(); // the answer closes it
    /** Gmail writes the URL-safe alphabet, with or without padding. */
    private static final Base64Variant BASE64URL = new Base64Variant("base64url",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", true, '=', Integer.MAX_VALUE)
            .withReadPadding(Base64Variant.PaddingReadBehaviour.PADDING_ALLOWED);
    /** The most of a refusal's body that is read. */
    private static final int MOST_REFUSAL_BYTES = 64 * 1024;

    private StreamedContent() {
    }

    /** The answer's body as it is. */
    static MailContent raw(AccountCalls.Streamed answer, String name) {
        String type = answer.header("Content-Type");
        String length = answer.header("Content-Length");
        long size = length != null && length.matches("\\d{1,18}") ? Long.parseLong(length) : -1;
        return new MailContent(type == null ? "application/octet-stream" : type, name, size, body(answer, answer.body()::transferTo));
    }

    /** The member {@code member} of the JSON object the answer carries, decoded from base64url. */
    static MailContent base64Member(AccountCalls.Streamed answer, String member, String contentType, String name, long size) {
        return new MailContent(contentType, name, size, body(answer, out -> {
            try (JsonParser json = JSON.createParser(answer.body())) {
                if (json.nextToken() != JsonToken.START_OBJECT) {
                    throw new IOException("the provider's answer is not a JSON object");
                }
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    boolean wanted = member.equals(json.currentName());
                    JsonToken value = json.nextToken();
                    if (wanted && value == JsonToken.VALUE_STRING) {
                        json.readBinaryValue(BASE64URL, out);
                        return;
                    }
                    json.skipChildren();
                }
                throw new IOException("the provider's answer has no " + member);
            }
        }));
    }

    /** The answer of a refusal as a whole response (its body cut at 64 KiB), closed. */
    static Upstream.Response whole(AccountCalls.Streamed answer) throws IOException {
        try (answer) {
            byte[] body = answer.body().readNBytes(MOST_REFUSAL_BYTES);
            return new Upstream.Response(answer.status(), answer.headers(), new String(body, StandardCharsets.UTF_8));
        }
    }

    /** Writes the content to an output stream. */
    @FunctionalInterface
    private interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    private static MailContent.Body body(AccountCalls.Streamed answer, Writer writer) {
        return new MailContent.Body() {
            @Override
            public void writeTo(OutputStream out) throws IOException {
                writer.writeTo(out);
            }

            @Override
            public void close() throws IOException {
                answer.close();
            }
        };
    }
}
