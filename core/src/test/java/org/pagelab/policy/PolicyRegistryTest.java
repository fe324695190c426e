package org.pagelab.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PolicyRegistryTest {

    @Test
    void everyRegisteredNameCreatesThatPolicy() {
        long[] trace = PolicyStreams.of(1, 2, 1);
        for (String name : Policies.NAMES) {
            CachePolicy policy = Policies.create(name, 4, trace);
            assertThat(policy.name()).isEqualTo(name);
            assertThat(policy.capacity()).isEqualTo(4);
            policy.replay(trace, 0, trace.length);
            assertThat(policy.stats()).isEqualTo(new PolicyStats(name, 4, 3, 1, 2));
            assertThat(policy.stats().missRatio()).isEqualTo(2.0 / 3);
        }
    }

    @Test
    void namesFromTheIssueAreAccepted() {
        assertThat(Policies.create("S3-FIFO", 8).name()).isEqualTo("s3fifo");
        assertThat(Policies.create("S3FIFO_SOSP", 8).name()).isEqualTo("s3fifo-sosp");
        assertThat(Policies.create("ARC-INTP", 8).name()).isEqualTo("arc-intp");
        assertThat(Policies.create("W-TinyLFU", 8).name()).isEqualTo("wtinylfu");
        assertThat(Policies.create("clock-pro", 8).name()).isEqualTo("clockpro");
        assertThat(Policies.create("LRU-K", 8).name()).isEqualTo("lru2");
        assertThat(Policies.create("twoq", 8).name()).isEqualTo("2q");
        assertThat(Policies.create("LRU", 8).name()).isEqualTo("lru");
        assertThat(Policies.create("two_list", 8).name()).isEqualTo("twolist");
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Policies.create("lfx", 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'lfx'")
                .hasMessageContaining("lru, clock, fifo, arc, s3fifo, twolist, opt, sieve");
    }

    @Test
    void optWithoutTheTraceAndZeroCapacityAreRejected() {
        assertThatThrownBy(() -> Policies.create("opt", 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trace");
        assertThatThrownBy(() -> Policies.create("lru", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
    }

    @Test
    void optRefusesAKeyOffItsTrace() {
        CachePolicy opt = Policies.create("opt", 2, PolicyStreams.of(1, 2));
        opt.access(1);
        assertThatThrownBy(() -> opt.access(3)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("key 3").hasMessageContaining("key 2");
    }

    @Test
    void statsRejectInconsistentCounts() {
        assertThatThrownBy(() -> new PolicyStats("lru", 1, 3, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new PolicyStats("lru", 1, 0, 0, 0).missRatio()).isZero();
    }
}
