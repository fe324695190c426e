package org.pagelab.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The seed convention: defaults unless the properties are set, consecutive seeds when they are, and replayable failures. */
class SeedsTest {

    /** Runs {@code what} with the two properties set as given (null: unset), restoring them after. */
    private static <T> T with(String seed, String count, Supplier<T> what) {
        String oldSeed = System.getProperty(Seeds.SEED);
        String oldCount = System.getProperty(Seeds.COUNT);
        try {
            set(Seeds.SEED, seed);
            set(Seeds.COUNT, count);
            return what.get();
        } finally {
            set(Seeds.SEED, oldSeed);
            set(Seeds.COUNT, oldCount);
        }
    }

    private static void set(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void withoutThePropertiesATestRunsItsOwnDefaults() {
        assertThat(with(null, null, () -> Seeds.of(100, 3))).containsExactly(100, 101, 102);
        assertThat(with(null, null, () -> Seeds.list(5, 17, 3))).containsExactly(5, 17, 3);
        assertThat(with(null, null, () -> Seeds.spaced(10, 7, 3))).containsExactly(10, 17, 24);
        assertThat(with(null, null, () -> Seeds.derive(9))).isEqualTo(9);
    }

    @Test
    void theFirstSeedAndTheCountReplaceTheDefaultsWithConsecutiveSeeds() {
        assertThat(with("7000", null, () -> Seeds.of(100, 3))).containsExactly(7000, 7001, 7002);
        assertThat(with("7000", "2", () -> Seeds.list(5, 17, 3))).containsExactly(7000, 7001);
        assertThat(with(null, "4", () -> Seeds.list(5, 17, 3))).containsExactly(5, 6, 7, 8);
        assertThat(with("40", null, () -> Seeds.spaced(10, 7, 3))).containsExactly(40, 41, 42);
        assertThat(with("-3", "1", () -> Seeds.of(100, 3))).containsExactly(-3);
        assertThat(with("7000", "5", () -> Seeds.derive(9))).isEqualTo(7000 ^ 9);
        assertThat(with("7000", null, () -> Seeds.derive(10))).isNotEqualTo(with("7000", null, () -> Seeds.derive(9)));
    }

    @Test
    void aCountThatIsNotAPositiveNumberIsRefusedWithTheValue() {
        assertThatThrownBy(() -> with(null, "0", () -> Seeds.of(1, 2))).hasMessageContaining("pagelab.seeds=0");
        assertThatThrownBy(() -> with(null, "many", () -> Seeds.of(1, 2))).hasMessageContaining("pagelab.seeds=many");
    }

    @Test
    void aFailingBodyNamesItsSeedAndTheCommandThatReplaysIt() {
        assertThatThrownBy(SeedsTest::aTestWithALoopOverSeeds)
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("seed 4242 failed; replay with")
                .hasMessageContaining("./mvnw -B -pl core test -Dtest='SeedsTest#aTestWithALoopOverSeeds'")
                .hasMessageContaining("-Dpagelab.seed=4242 -Dpagelab.seeds=1")
                .hasMessageContaining("[one]")
                .hasCauseInstanceOf(AssertionError.class);
        Seeds.check(1, () -> assertThat(1).isEqualTo(1));
    }

    private static void aTestWithALoopOverSeeds() {
        for (long seed : new long[] {4241, 4242}) {
            Seeds.check(seed, () -> assertThat(seed).as("one").isEqualTo(4241));
        }
    }

    @Test
    void theReplayCommandNamesModuleClassAndMethod() {
        assertThat(Seeds.replayCommand(SeedsTest.class, "someTest", 12))
                .isEqualTo("./mvnw -B -pl core test -Dtest='SeedsTest#someTest' -Dsurefire.failIfNoSpecifiedTests=false"
                        + " -Dpagelab.seed=12 -Dpagelab.seeds=1");
    }
}
