package io.switchboard.itest.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 over a plain socket, for clients that misbehave on purpose: they send part of a body
 * and stop, or read their answer only later.
 */
public final class RawHttp {
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");

    private RawHttp() {}

    /**
     * Opens a connection and sends a POST's head ({@code headers}: {@code "Name: value\r\n"} lines)
     * declaring {@code length} body bytes, and the first part of the body.
     */
    public static Socket post(Http http, String path, String headers, long length, byte[] first) throws IOException {
        Socket s = new Socket("127.0.0.1", http.base().getPort());
        s.setSoTimeout(30_000);
        s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "Content-Length: " + length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(first);
        s.getOutputStream().flush();
        return s;
    }

    /** A JSON POST with the given request id, of which only the first {@code sent} characters are sent. */
    public static Socket postJson(Http http, String path, String requestId, String body, int sent) throws IOException {
        return post(http, path, "Content-Type: application/json\r\nX-Request-Id: " + requestId + "\r\n", body.length(),
                body.substring(0, sent).getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads one answer framed by a Content-Length: its head and its body. */
    public static String readAnswer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        String head = readHead(in);
        Matcher length = CONTENT_LENGTH.matcher(head);
        assertThat(length.find()).as(head.toString()).isTrue();
        byte[] body = in.readNBytes(Integer.parseInt(length.group(1)));
        return head + new String(body, StandardCharsets.UTF_8);
    }

    /** Reads an answer's head, up to and including the blank line that ends it. */
    public static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("the answer's head arrives: " + head).isNotNegative();
            head.append((char) b);
        }
        return head.toString();
    }

    /** Sends a request written out in full (a method the JDK's client will not send) and reads its answer. */
    public static String exchange(Http http, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", http.base().getPort())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return readAnswer(s);
        }
    }
}
