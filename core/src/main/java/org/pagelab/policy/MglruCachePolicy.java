package org.pagelab.policy;

import org.pagelab.lruvec.LruGen;

/**
 * The multi-generational LRU (Linux 6.1's CONFIG_LRU_GEN, modelled for the machine in
 * {@link org.pagelab.mglru}) in fixed-capacity form, for pages reached through their mappings:
 * every access of the trace is a load or store that sets the page's accessed bit, as in a page
 * fault's retry or any later access.
 *
 * <p>The rules, with generations numbered by sequence: {@code maxSeq} the youngest, {@code minSeq}
 * the oldest, at most {@value LruGen#MAX_NR_GENS} at once, initially {@code minSeq = 0} and
 * {@code maxSeq = }{@value LruGen#MIN_NR_GENS}{@code  + 1} as lru_gen_init_lruvec sets them.
 * <ul>
 *   <li>A hit sets the page's accessed bit; nothing moves.</li>
 *   <li>A miss inserts the page at the head of the youngest generation with its accessed bit set
 *       (lru_gen_add_folio puts a folio added in a fault, marked active, on {@code maxSeq}; the
 *       faulting access sets the bit).</li>
 *   <li>A miss of a full cache first evicts one page. Before each look at the oldest generation,
 *       aging runs when should_run_aging says so: with fewer than three generations, or exactly
 *       three and the youngest holding more than half of the pages or the oldest fewer than a
 *       quarter. Aging (the page-table walk, then inc_max_seq) moves every page with its accessed
 *       bit set to the head of generation {@code maxSeq}, clearing the bit, and then starts a new,
 *       empty youngest generation {@code maxSeq + 1}. The walk takes the generations oldest first,
 *       each from its tail to its head. An empty oldest generation is retired
 *       (try_to_inc_min_seq, keeping at least {@value LruGen#MIN_NR_GENS}). Otherwise its tail page
 *       is looked at: with the accessed bit set (the rmap walk of shrink_folio_list finds a young
 *       PTE, lru_gen_look_around marks it referenced, and it is activated) the bit is cleared and
 *       the page moves to the head of the youngest generation; without, it is evicted, and the
 *       oldest generation is retired if that left it empty.</li>
 * </ul>
 *
 * <p>What is left out, and why the replay is still this variant exactly:
 * <ul>
 *   <li>Tiers and the refault PID controller: tiers count accesses through file descriptors
 *       (read(2), write(2)), which a mapped access never makes, so every page stays in tier 0 and
 *       get_tier_idx protects nothing; with one type of page there is no anon/file choice. Without
 *       them the controller has no decision to make, so it is not kept.</li>
 *   <li>Aging never merges the oldest generation (inc_min_seq): should_run_aging asks for aging
 *       only with three generations or fewer.</li>
 *   <li>Simplified: the kernel's walk visits page tables in address order and sorts its lists
 *       lazily (a folio moves when the eviction meets it); here the walk moves pages at once, in
 *       list order. Look-around does not age neighbouring pages. Aging runs whenever
 *       should_run_aging asks, as kswapd's lru_gen_age_node would before every eviction, with no
 *       reclaim priority, batching or min_ttl. The Bloom filter that lets the walk skip cold page
 *       tables does not apply: the walk visits every resident page.</li>
 * </ul>
 *
 * <p>Data: a {@link LongIntMap} from key to node, {@link NodeLists} with one list per generation
 * index ({@code seq % MAX_NR_GENS}, head the most recently placed), an accessed bit per node. A hit
 * is O(1); an eviction is O(1) amortized between agings (each page it moves had its bit set by a
 * hit); an aging is O(c).
 *
 * <p>Invariants: {@code map.size() == pages on the generation lists <= c};
 * {@code 1 <= maxSeq - minSeq + 1 <= MAX_NR_GENS}; the lists of generations outside
 * {@code [minSeq, maxSeq]} are empty; the free nodes are the others.
 */
public final class MglruCachePolicy extends AbstractPolicy {

    private static final int GENS = LruGen.MAX_NR_GENS;
    private static final int MIN_GENS = LruGen.MIN_NR_GENS;

    private final LongIntMap map;
    private final NodeLists lists;
    private final long[] keys;
    private final boolean[] accessed;
    private final NodePool pool;
    private long maxSeq = MIN_GENS + 1;
    private long minSeq;
    private long agings;

    /** Requires: {@code capacity >= 1}. */
    public MglruCachePolicy(int capacity) {
        super("mglru", capacity);
        map = new LongIntMap(capacity);
        lists = new NodeLists(capacity, GENS);
        keys = new long[capacity];
        accessed = new boolean[capacity];
        pool = new NodePool(capacity);
    }

    @Override
    public boolean access(long key) {
        int node = map.get(key);
        if (node != LongIntMap.MISSING) {
            hits++;
            accessed[node] = true;
            return true;
        }
        misses++;
        if (pool.available() == 0) {
            evict();
        }
        node = pool.take();
        keys[node] = key;
        accessed[node] = true;
        map.put(key, node);
        lists.addHead(gen(maxSeq), node);
        return false;
    }

    private static int gen(long seq) {
        return (int) (seq % GENS);
    }

    /** Evicts one page: aging when due, the oldest generation's tail otherwise (see the class rules). */
    private void evict() {
        final NodeLists l = lists;
        for (;;) {
            if (shouldRunAging()) {
                age();
                continue;
            }
            int oldest = gen(minSeq);
            int n = l.tail(oldest);
            if (n == NodeLists.NIL) {
                tryToIncMinSeq();
                continue;
            }
            if (accessed[n]) {
                accessed[n] = false;
                l.move(gen(maxSeq), n);
                continue;
            }
            l.remove(n);
            map.remove(keys[n]);
            pool.give(n);
            if (l.size(oldest) == 0) {
                tryToIncMinSeq();
            }
            return;
        }
    }

    /**
     * should_run_aging for one type: due with fewer than {@code MIN_NR_GENS + 1} generations, never
     * with more, and with exactly that many when the youngest holds more than 1/MIN_NR_GENS of the
     * pages or the oldest less than 1/(MIN_NR_GENS + 2).
     */
    private boolean shouldRunAging() {
        if (minSeq + MIN_GENS > maxSeq) {
            return true;
        }
        if (minSeq + MIN_GENS < maxSeq) {
            return false;
        }
        long total = size();
        long young = lists.size(gen(maxSeq));
        long old = lists.size(gen(minSeq));
        return young * MIN_GENS > total || old * (MIN_GENS + 2) < total;
    }

    /** The walk (accessed pages to the head of {@code maxSeq}, bits cleared), then inc_max_seq. */
    private void age() {
        final NodeLists l = lists;
        int young = gen(maxSeq);
        for (long seq = minSeq; seq <= maxSeq; seq++) {
            int g = gen(seq);
            int n = l.tail(g);
            for (int left = l.size(g); left > 0; left--) {
                int p = l.prev(n);
                if (accessed[n]) {
                    accessed[n] = false;
                    l.move(young, n);
                }
                n = p;
            }
        }
        if (maxSeq - minSeq + 1 >= GENS) {
            throw new IllegalStateException("mglru: aging with " + GENS + " generations would merge the oldest");
        }
        maxSeq++;
        agings++;
    }

    /** try_to_inc_min_seq: past the empty oldest generations, keeping at least MIN_NR_GENS. */
    private void tryToIncMinSeq() {
        while (minSeq + MIN_GENS <= maxSeq && lists.size(gen(minSeq)) == 0) {
            minSeq++;
        }
    }

    /** The sequence number of the youngest generation. */
    long maxSeq() {
        return maxSeq;
    }

    /** The sequence number of the oldest generation. */
    long minSeq() {
        return minSeq;
    }

    /** The agings (inc_max_seq) so far. */
    long agings() {
        return agings;
    }

    /** The keys of generation {@code seq}, head (most recently placed) first; empty outside the window. */
    long[] generation(long seq) {
        if (seq < minSeq || seq > maxSeq) {
            return new long[0];
        }
        int g = gen(seq);
        long[] out = new long[lists.size(g)];
        int i = 0;
        for (int n = lists.head(g); n != NodeLists.NIL; n = lists.next(n)) {
            out[i++] = keys[n];
        }
        return out;
    }

    @Override
    public long replay(long[] trace, int from, int to) {
        long h = 0;
        for (int i = from; i < to; i++) {
            if (access(trace[i])) {
                h++;
            }
        }
        return h;
    }

    @Override
    public int size() {
        return capacity - pool.available();
    }

    @Override
    public void check() {
        lists.check();
        map.check();
        int listed = 0;
        for (int g = 0; g < GENS; g++) {
            listed += lists.size(g);
        }
        checkCommon(map.size(), listed);
        require(pool.available() == capacity - listed, "free nodes == capacity - listed nodes");
        require(minSeq <= maxSeq && maxSeq - minSeq < GENS, "minSeq <= maxSeq < minSeq + MAX_NR_GENS");
        for (long seq = maxSeq + 1; seq < minSeq + GENS; seq++) {
            if (lists.size(gen(seq)) != 0) {
                require(false, "generation " + seq + " outside [" + minSeq + ", " + maxSeq + "] is empty");
            }
        }
        requireMapped(map, lists, keys, 0, GENS - 1);
    }
}
