package org.pagelab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.trace.TraceKeys;

/**
 * A cross-check on a real program's trace: the UCSD address trace of SPEC gcc, read from the Caffeine
 * simulator's jar (a test dependency; the data is not copied into this repository). pagelab's spec
 * reader, its LRU and OPT policies and the one-pass LRU miss-ratio curve must agree with a reader and
 * two policies written here in the most direct way: the trace parsed line by line, LRU as an
 * access-ordered LinkedHashMap, OPT as "evict the page whose next use is furthest", found with a heap
 * of next-use times.
 */
class PolicySpecTraceTest {
    private static final String RESOURCE = "com/github/benmanes/caffeine/cache/simulator/parser/address/gcc.trace.gz";
    private static final int[] SIZES = {4, 8, 16, 32, 64, 128, 256};

    @TempDir
    static Path dir;

    private static Path trace;
    private static long[] pages;

    @BeforeAll
    static void readTheTrace() throws IOException {
        trace = dir.resolve("gcc.trace.gz");
        try (InputStream in = PolicySpecTraceTest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            assertThat(in).as("the Caffeine simulator jar (test dependency) holds " + RESOURCE).isNotNull();
            Files.copy(in, trace);
        }
        pages = directPages(trace);
    }

    /** The page of every line "l|s ADDRESS INSTRUCTIONS" (address in hex, with or without 0x). */
    private static long[] directPages(Path gz) throws IOException {
        long[] out = new long[1 << 16];
        int n = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)),
                StandardCharsets.US_ASCII))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 2) {
                    continue;
                }
                String hex = f[1].startsWith("0x") ? f[1].substring(2) : f[1];
                if (n == out.length) {
                    out = Arrays.copyOf(out, 2 * n);
                }
                out[n++] = Long.parseUnsignedLong(hex, 16) >>> 12;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Hits of LRU with {@code capacity} pages: an access-ordered LinkedHashMap that drops its eldest entry. */
    private static long referenceLruHits(long[] trace, int capacity) {
        Map<Long, Boolean> cache = new LinkedHashMap<>(2 * capacity, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                return size() > capacity;
            }
        };
        long hits = 0;
        for (long p : trace) {
            if (cache.get(p) != null) {
                hits++;
            } else {
                cache.put(p, Boolean.TRUE);
            }
        }
        return hits;
    }

    /** Hits of Belady's OPT (demand paging): on a miss with a full cache, evict the page used furthest in the future. */
    private static long referenceOptHits(long[] trace, int capacity) {
        int[] nextUse = new int[trace.length];
        Map<Long, Integer> later = new HashMap<>();
        for (int i = trace.length - 1; i >= 0; i--) {
            nextUse[i] = later.getOrDefault(trace[i], Integer.MAX_VALUE);
            later.put(trace[i], i);
        }
        Map<Long, Integer> cached = new HashMap<>(); // page -> its next use
        PriorityQueue<long[]> furthest = new PriorityQueue<>((a, b) -> Long.compare(b[0], a[0])); // {next use, page}
        long hits = 0;
        for (int i = 0; i < trace.length; i++) {
            long p = trace[i];
            if (cached.containsKey(p)) {
                hits++;
            } else if (cached.size() == capacity) {
                while (true) {
                    long[] top = furthest.poll();
                    Integer current = cached.get(top[1]);
                    if (current != null && current == top[0]) { // not an entry left from an earlier use
                        cached.remove(top[1]);
                        break;
                    }
                }
            }
            cached.put(p, nextUse[i]);
            furthest.add(new long[] {nextUse[i], p});
        }
        return hits;
    }

    @Test
    void pagelabsSpecReaderSeesTheSamePagesAsAPlainParse() {
        long[] keys = TraceKeys.load(List.of("spec:" + trace));
        assertThat(keys).hasSize(515_683);
        assertThat(keys).as("one process, so the keys are the pages").isEqualTo(pages);
        assertThat(TraceKeys.distinct(keys)).isEqualTo(294);
    }

    @Test
    void lruAndOptHitsMatchTheReferencesAndTheOnePassCurve() {
        MissRatioCurve lruCurve = MissRatioCurve.lru(pages, SIZES);
        MissRatioCurve optCurve = MissRatioCurve.opt(pages, SIZES);
        long previousLru = -1;
        for (int k = 0; k < SIZES.length; k++) {
            int c = SIZES[k];
            long lruHits = referenceLruHits(pages, c);
            long optHits = referenceOptHits(pages, c);
            assertThat(Policies.replay("lru", c, pages).hits()).as("lru at %d pages", c).isEqualTo(lruHits);
            assertThat(pages.length - lruCurve.misses()[k]).as("one-pass lru curve at %d pages", c).isEqualTo(lruHits);
            assertThat(Policies.replay("opt", c, pages).hits()).as("opt at %d pages", c).isEqualTo(optHits);
            assertThat(pages.length - optCurve.misses()[k]).as("opt curve at %d pages", c).isEqualTo(optHits);
            assertThat(optHits).as("OPT is the bound at %d pages", c).isGreaterThanOrEqualTo(lruHits);
            assertThat(lruHits).as("LRU is a stack policy: more pages, no fewer hits").isGreaterThanOrEqualTo(previousLru);
            previousLru = lruHits;
        }
        assertThat(referenceOptHits(pages, 4)).as("at 4 pages OPT beats LRU on gcc").isGreaterThan(referenceLruHits(pages, 4));
        assertThat(pages.length - referenceLruHits(pages, 294)).as("with the footprint in memory only first touches miss")
                .isEqualTo(294);
    }
}
