package io.switchboard.core.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.api.ProblemException;
import org.junit.jupiter.api.Test;

/** The memory budget of bodies read ahead, the per-client count and the per-path limits. */
class BodyBudgetTest {

    @Test
    void keptBytesStayWithinTheBudgetAndComeBackWhenABodyEnds() {
        BodyBudget budget = new BodyBudget(1000, 10, new String[0]);
        BodyBudget.Slot a = budget.open("10.0.0.1");
        BodyBudget.Slot b = budget.open("10.0.0.2");
        a.reserve(600);
        assertThatThrownBy(() -> b.reserve(500)).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(503))
                .satisfies(e -> assertThat(((ProblemException) e).headers()).containsEntry("Retry-After", "1"));
        b.reserve(400);
        assertThat(budget.used()).isEqualTo(1000);
        a.close();
        a.close(); // once only
        assertThat(budget.used()).isEqualTo(400);
        b.reserve(600);
        b.close();
        assertThat(budget.used()).isZero();
    }

    @Test
    void aClientMayBeSendingOnlySoManyBodiesAtOnce() {
        BodyBudget budget = new BodyBudget(1000, 2, new String[0]);
        BodyBudget.Slot first = budget.open("10.0.0.1");
        budget.open("10.0.0.1");
        assertThatThrownBy(() -> budget.open("10.0.0.1")).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(429));
        budget.open("10.0.0.2"); // another client is not held back
        first.close();
        BodyBudget.Slot third = budget.open("10.0.0.1");
        third.reserve(10);
        third.received(); // a whole body no longer counts for its client, its bytes still do
        budget.open("10.0.0.1");
        assertThat(budget.used()).isEqualTo(10);
    }

    @Test
    void smallBodyPathsHaveTheirOwnLimitAndTheHeapSizesTheDefaultBudget() {
        BodyBudget budget = new BodyBudget(0, 1, new String[] {"/v1/sessions=65536", "/v1/connect/ = 1000"});
        assertThat(budget.limit("/v1/sessions", 1_048_576)).isEqualTo(65_536);
        assertThat(budget.limit("/v1/sessions/refresh", 1_048_576)).isEqualTo(65_536);
        assertThat(budget.limit("/v1/connect/pw/password", 1_048_576)).isEqualTo(1000);
        assertThat(budget.limit("/v1/config/user/k", 1_048_576)).isEqualTo(1_048_576);
        assertThat(budget.limit("/v1/sessions", 100)).as("never above the general limit").isEqualTo(100);
        BodyBudget.Slot slot = budget.open("c");
        slot.reserve(Runtime.getRuntime().maxMemory() / 4);
        assertThatThrownBy(() -> slot.reserve(1)).isInstanceOf(ProblemException.class);
    }
}
