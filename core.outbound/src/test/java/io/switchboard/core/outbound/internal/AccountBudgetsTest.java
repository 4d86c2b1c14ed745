package io.switchboard.core.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.api.connector.OutboundBudget;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AccountBudgetsTest {
    private final OutboundBudget threePerTenSeconds = new OutboundBudget(3, Duration.ofSeconds(10));

    @Test
    void aSpentBudgetNamesTheWaitUntilItsWindowReopens() {
        AccountBudgets budgets = new AccountBudgets();
        long t = 1_000_000;
        for (int i = 0; i < 3; i++) {
            assertThat(budgets.acquire("a", threePerTenSeconds, t + i)).isZero();
        }
        assertThat(budgets.acquire("a", threePerTenSeconds, t + 4_000)).isEqualTo(6_000);
        assertThat(budgets.acquire("b", threePerTenSeconds, t + 4_000)).as("another account has its own budget").isZero();
        assertThat(budgets.acquire("a", threePerTenSeconds, t + 10_000)).as("the next window").isZero();
        assertThat(budgets.acquire("a", null, t)).as("no budget").isZero();
    }

    @Test
    void idleWindowsAreDropped() {
        AccountBudgets budgets = new AccountBudgets();
        budgets.acquire("a", threePerTenSeconds, 0);
        budgets.acquire("b", threePerTenSeconds, 5_000);
        assertThat(budgets.tracked()).isEqualTo(2);
        budgets.acquire("b", threePerTenSeconds, 61_000); // a minute on: both idle past two windows, b comes back
        assertThat(budgets.tracked()).isEqualTo(1);
    }

    @Test
    void anAccountsCallsAtOnceAreHeldToItsLimitAndAPlaceComesFreeWhenACallEnds() {
        AccountBudgets budgets = new AccountBudgets();
        OutboundBudget twoAtOnce = threePerTenSeconds.withConcurrent(2);
        AccountBudgets.Slot first = budgets.hold("a", twoAtOnce, Duration.ZERO);
        AccountBudgets.Slot second = budgets.hold("a", twoAtOnce, Duration.ZERO);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> budgets.hold("a", twoAtOnce, Duration.ofMillis(50)))
                .isInstanceOfSatisfying(io.switchboard.core.api.ProblemException.class, p -> {
                    assertThat(p.status()).isEqualTo(429);
                    assertThat(p.headers()).containsEntry("Retry-After", "1");
                });
        budgets.hold("b", twoAtOnce, Duration.ZERO).close(); // another account has its own places
        first.close();
        budgets.hold("a", twoAtOnce, Duration.ZERO).close();
        second.close();
        budgets.hold("a", threePerTenSeconds, Duration.ZERO).close(); // no limit at once: nothing held
    }
}
