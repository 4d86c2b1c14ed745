package io.switchboard.core.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The streaming paths' prefixes: plain prefixes, and {@code *} for one whole path segment. */
class StreamingPathsTest {

    @Test
    void aStarStandsForOneNonEmptySegment() {
        assertThat(StreamingPaths.matches("/v1/proxy/", "/v1/proxy/acc/x")).isTrue();
        assertThat(StreamingPaths.matches("/v1/proxy/", "/v1/proxyx")).isFalse();
        String files = "/v1/mail/*/drafts/*/attachments";
        assertThat(StreamingPaths.matches(files, "/v1/mail/acc-1/drafts/AAMk=/attachments")).isTrue();
        assertThat(StreamingPaths.matches(files, "/v1/mail/acc-1/drafts/AAMk=/attachments?name=a.pdf")).isTrue();
        assertThat(StreamingPaths.matches(files, "/v1/mail/acc-1/drafts//attachments")).as("an empty segment").isFalse();
        assertThat(StreamingPaths.matches(files, "/v1/mail/acc-1/x/drafts/d/attachments")).as("two segments for one star").isFalse();
        assertThat(StreamingPaths.matches(files, "/v1/mail/acc-1/drafts/d")).isFalse();
        assertThat(StreamingPaths.matches(files, "/v1/mail/acc-1/messages/d/attachments")).isFalse();
    }
}
