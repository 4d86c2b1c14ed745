package io.switchboard.connector.google.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.mailbox.api.MailAddress;
import io.switchboard.core.mailbox.api.OutgoingMessage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class Rfc5322Test {

    @Test
    void addressListsKeepQuotedCommasAndNames() {
        assertThat(Rfc5322.addresses("\"Example, Ann\" <ann@customer.example>, bob@customer.example,  Cat Example <cat@customer.example>"))
                .containsExactly(new MailAddress("Example, Ann", "ann@customer.example"), new MailAddress(null, "bob@customer.example"),
                        new MailAddress("Cat Example", "cat@customer.example"));
        assertThat(Rfc5322.addresses(null)).isEmpty();
        assertThat(Rfc5322.addresses("undisclosed-recipients:;")).isEmpty();
    }

    @Test
    void namesAndSubjectsAreAtomsQuotedOrEncodedWordsOfAtMost75Characters() {
        assertThat(Rfc5322.phrase("Ann Example")).isEqualTo("Ann Example");
        assertThat(Rfc5322.phrase("Example, Ann")).isEqualTo("\"Example, Ann\"");
        assertThat(Rfc5322.unstructured("Re: pricing, 2027")).isEqualTo("Re: pricing, 2027");
        String long30 = "Grüße aus Köln, ".repeat(6);
        String encoded = Rfc5322.unstructured(long30);
        for (String word : encoded.split(" ")) {
            assertThat(word).startsWith("=?UTF-8?B?").endsWith("?=").hasSizeLessThanOrEqualTo(75);
        }
        StringBuilder decoded = new StringBuilder();
        for (String word : encoded.split(" ")) {
            decoded.append(new String(Base64.getDecoder().decode(word.substring(10, word.length() - 2)), StandardCharsets.UTF_8));
        }
        assertThat(decoded.toString()).isEqualTo(long30);
    }

    @Test
    void aMessageWithTextAndHtmlIsAnAlternativeOfTwoBase64PartsAndHeadersCannotBeInjected() {
        String mime = Rfc5322.write(new OutgoingMessage(List.of(new MailAddress("Zoë", "zoe@customer.example")), List.of(),
                List.of(new MailAddress(null, "audit@customer.example")), "x", "Hallo €", "<p>Hallo €</p>", null), "Hi\r\nBcc: evil@x.example",
                "<a@b>", "<r@b> <a@b>");
        String head = mime.substring(0, mime.indexOf("\r\n\r\n"));
        assertThat(head).contains("To: =?UTF-8?B?").contains("<zoe@customer.example>").contains("Bcc: audit@customer.example")
                .contains("In-Reply-To: <a@b>").contains("References: <r@b> <a@b>").contains("MIME-Version: 1.0")
                .contains("Content-Type: multipart/alternative; boundary=");
        assertThat(head.lines().filter(l -> l.startsWith("Bcc:")).toList()).as("a line break in a header value starts no header")
                .containsExactly("Bcc: audit@customer.example");
        assertThat(mime).contains("Content-Type: text/plain; charset=\"UTF-8\"").contains("Content-Type: text/html; charset=\"UTF-8\"")
                .contains(Base64.getEncoder().encodeToString("Hallo €".getBytes(StandardCharsets.UTF_8)));
    }
}
