package io.switchboard.connector.google.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.switchboard.core.mailbox.api.IncomingFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A draft's message written again with a file: the draft's content as the first part, the file in base64 lines as the second. */
class GmailFilesTest {

    @Test
    void theDraftBecomesTheFirstPartAndTheFileTheSecondInBase64Lines() throws IOException {
        String draft = "To: ann@customer.example\r\nSubject: =?UTF-8?B?w5xiZXI=?=\r\n folded\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\nSGVsbG8=\r\n";
        byte[] file = new byte[100_003];
        new Random(5).nextBytes(file);
        String written = new String(GmailFiles.withFile(new ByteArrayInputStream(draft.getBytes(StandardCharsets.US_ASCII)),
                new IncomingFile("Vertrag groß.pdf", "application/pdf", file.length, new ByteArrayInputStream(file))).readAllBytes(),
                StandardCharsets.US_ASCII);
        String boundary = written.replaceFirst("(?s).*boundary=\"([^\"]+)\".*", "$1");
        assertThat(written).startsWith("To: ann@customer.example\r\nSubject: =?UTF-8?B?w5xiZXI=?=\r\n folded\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n--" + boundary + "\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\nSGVsbG8=\r\n\r\n--" + boundary + "\r\n")
                .endsWith("\r\n--" + boundary + "--\r\n");
        String part = written.substring(written.lastIndexOf("--" + boundary + "\r\n"), written.lastIndexOf("--" + boundary + "--"));
        assertThat(part).contains("Content-Disposition: attachment; filename=\"=?UTF-8?");
        String base64 = part.substring(part.indexOf("\r\n\r\n") + 4);
        assertThat(base64.split("\r\n")).allMatch(line -> line.length() <= 76);
        assertThat(Base64.getMimeDecoder().decode(base64.trim())).isEqualTo(file);
    }

    @Test
    void aFileShorterThanItsLengthIsAnError() {
        Throwable t = catchThrowable(() -> GmailFiles.withFile(new ByteArrayInputStream("To: a@b.example\r\n\r\nx".getBytes(StandardCharsets.US_ASCII)),
                new IncomingFile("a.pdf", "application/pdf", 10, new ByteArrayInputStream(new byte[7]))).readAllBytes());
        assertThat(t).isInstanceOf(IOException.class).hasMessageContaining("ended after 7 of its 10 bytes");
    }
}
