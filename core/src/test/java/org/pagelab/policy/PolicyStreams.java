package org.pagelab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Seeded key streams for the policy tests. */
final class PolicyStreams {

    private PolicyStreams() {
    }

    /** {@code length} keys drawn uniformly from {@code [0, keySpace)}. */
    static long[] uniform(long seed, int length, int keySpace) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] keys = new long[length];
        for (int i = 0; i < length; i++) {
            keys[i] = random.nextInt(keySpace);
        }
        return keys;
    }

    /**
     * {@code length} keys with Zipf-like popularity (exponent about 1) over {@code keySpace} keys:
     * rank {@code floor(keySpace^u)} for uniform {@code u}, so {@code P(rank < k) ~ ln k / ln N};
     * ranks are scattered over the long range by an odd multiplier (a bijection).
     */
    static long[] zipfLike(long seed, int length, int keySpace) {
        SplittableRandom random = new SplittableRandom(seed);
        double logN = Math.log(keySpace);
        long[] keys = new long[length];
        for (int i = 0; i < length; i++) {
            long rank = (long) Math.exp(random.nextDouble() * logN) - 1;
            keys[i] = rank * 0xD6E8FEB86659FD93L;
        }
        return keys;
    }

    /** A sequence of small ints as long keys. */
    static long[] of(int... keys) {
        long[] out = new long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            out[i] = keys[i];
        }
        return out;
    }

    /** Replays {@code trace} with a check after every access; returns the hit pattern. */
    static String hitPattern(CachePolicy policy, long[] trace) {
        StringBuilder pattern = new StringBuilder();
        for (long key : trace) {
            pattern.append(policy.access(key) ? 'H' : 'm');
            policy.check();
        }
        return pattern.toString();
    }

    /**
     * The LIRS trace {@code name} of the Caffeine simulator's jar (a test dependency), copied into
     * {@code dir}: its path.
     */
    static Path lirsTrace(Path dir, String name) throws IOException {
        String res = "com/github/benmanes/caffeine/cache/simulator/parser/lirs/" + name + ".trace.gz";
        try (InputStream in = PolicyStreams.class.getClassLoader().getResourceAsStream(res)) {
            assertThat(in).as("the Caffeine simulator jar (test dependency) holds " + res).isNotNull();
            Path out = dir.resolve(name + ".trace.gz");
            Files.copy(in, out);
            return out;
        }
    }
}
