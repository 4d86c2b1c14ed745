package io.switchboard.core.api.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.api.ProblemException;
import org.junit.jupiter.api.Test;

class CursorsTest {

    @Test
    void aCursorWrapsAPositionOpaquelyAndOnlyOurOwnAreTaken() {
        String cursor = Cursors.encode("/services/data/v60.0/query/01g-2000");
        assertThat(cursor).doesNotContain("/").doesNotContain("=");
        assertThat(Cursors.decode(cursor)).isEqualTo("/services/data/v60.0/query/01g-2000");
        assertThat(Cursors.encode(null)).isNull();
        assertThat(Cursors.decode(null)).isNull();
        assertThat(Cursors.decode(" ")).isNull();
        assertThatThrownBy(() -> Cursors.decode("not*base64")).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(400));
    }

    @Test
    void aLimitIsWithinItsBounds() {
        assertThat(Cursors.limit(null, 50, 200)).isEqualTo(50);
        assertThat(Cursors.limit(200, 50, 200)).isEqualTo(200);
        assertThatThrownBy(() -> Cursors.limit(0, 50, 200)).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> Cursors.limit(201, 50, 200)).isInstanceOf(ProblemException.class);
    }

    @Test
    void anOffsetCursorWrapsANonNegativeNumber() {
        assertThat(Cursors.offset(null)).isZero();
        assertThat(Cursors.offset(Cursors.encode("150"))).isEqualTo(150);
        for (String bad : new String[] {Cursors.encode("-5"), Cursors.encode("x"), Cursors.encode("99999999999"), "%%"}) {
            assertThatThrownBy(() -> Cursors.offset(bad)).as(bad).isInstanceOf(ProblemException.class);
        }
    }

    @Test
    void digestsAreSha256HexAndComparedInConstantTime() {
        assertThat(Digests.sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Digests.constantTimeEquals("a", "a")).isTrue();
        assertThat(Digests.constantTimeEquals("a", "b")).isFalse();
        assertThat(Digests.constantTimeEquals(null, "a")).isFalse();
    }
}
