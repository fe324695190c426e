/**
 * Policy-only page-cache simulation: one stream of page accesses against a fixed capacity of N
 * pages with no other memory users, for exact replacement-policy studies comparable to cache
 * simulators such as libCacheSim and Caffeine's simulator ({@code pagelab replay --policy-only}).
 *
 * <h2>Why a separate model</h2>
 * The memory manager's reclaim ({@link org.pagelab.reclaim}) runs on watermarks, batches, anon and
 * file LRUs, dirty pages and the other users of memory, so its hit ratio answers "what would this
 * machine do". This package answers "what does this policy do": every access is a hit or a miss, a
 * miss inserts the page, and a miss of a full cache evicts exactly one page chosen by the policy.
 * A page is a {@code long} key (a page number, or any object identifier); sizes are in pages.
 *
 * <h2>The policies</h2>
 * Registered by name in {@link org.pagelab.policy.Policies}; each class's documentation has its
 * exact rules, docs/policies.md their sources and how their miss counts compare with Caffeine's
 * simulator and the LIRS and CLOCK-Pro authors' simulators. Costs are per access, c the capacity,
 * n the trace length.
 * <pre>
 * name        rule                                                    structures                       cost
 * lru         evict the least recently used page                      map + access-ordered ring,       O(1) amortized
 *                                                                     live-slot bitmap, compaction
 * fifo        evict the oldest inserted page; hits change nothing     map + ring                       O(1)
 * clock       one reference bit, set on hit; the hand clears set      map + ring + bits                O(1) amortized
 *             bits and evicts the first clear one
 * sieve       FIFO + visited bit; the hand moves newer, survivors     map + 1 list + bits              O(1) amortized
 *             stay in place (Zhang et al.)
 * 2q          A1in FIFO c/4, A1out ghosts c/2, Am LRU                 map + 3 lists over c + c/2       O(1)
 * slru        probation and protected (80%) LRU segments              map + 2 lists                    O(1)
 * lfu, lfuda  least count (lfuda: count + age L), least recent of     map + {@link NodeHeap}            O(log c)
 *             equals (Arlitt et al. for the aging)
 * lru2        evict the oldest second-latest access; once-seen        map + heap + history list        O(log c)
 *             pages first; c evicted keys' history kept
 * arc         T1/T2 resident, B1/B2 ghosts, target p adapts on        map + 4 lists over 2c nodes      O(1)
 *             ghost hits; real-valued p (arc-intp: integer p)
 * car         ARC's adaptation over two clocks (Bansal and Modha)     map + 4 lists over 2c + bits     O(1) amortized
 * s3fifo      small FIFO, main FIFO, ghost FIFO, 2-bit frequency,     map + 3 lists over c + 0.9c      O(1) amortized
 *             as libCacheSim (s3fifo-sosp: pagelab's first reading)
 * lirs        LIR/HIR sets by reuse distance: stack S, queue Q        map + S + Q, nodes grow with S   O(1) amortized
 * clockpro    LIRS's idea with three clock hands (Jiang et al.)       map + circular list over 2c + 2  O(1) amortized
 * wtinylfu    1% LRU window, SLRU main, count-min admission           map + 3 lists + sketch           O(1)
 * lecar       LRU and LFU experts weighted by regret, seeded draws    map + 3 lists + heap over 3c     O(log c)
 * random      evict a random page (seeded)                            map + key array                  O(1)
 * twolist     the kernel's inactive/active lists: enter inactive,     map + 2 lists                    O(1) amortized
 *             the second access activates, reclaim deactivates
 *             while inactive * ratio &lt; active, evicts inactive tail
 * mglru       the kernel's generations for mapped accesses: accessed  map + 4 lists (one per           O(1) hit; O(c) per
 *             bit on access, new pages youngest; aging (walk, then    generation) + bits               aging
 *             a new generation) by should_run_aging; the oldest's
 *             tail is evicted, or promoted if accessed
 * opt         Belady's MIN: evict the page used furthest in the       next-use array + map + max-heap  O(log c); O(n) to prepare
 *             future
 * </pre>
 * All of them are demand-paging policies (every missed page is inserted), so OPT is a lower bound
 * on the misses of each of them for the same trace and capacity; the tests check that. A user's own
 * policy is any {@link org.pagelab.policy.CachePolicy} named by its class name
 * ({@link org.pagelab.policy.Policies#create(String, int, long[], ClassLoader)}).
 * {@link org.pagelab.policy.PolicyRuns} replays one trace under many policies and sizes on threads.
 *
 * <h2>Data structures</h2>
 * Nothing on the access path boxes a key. {@link org.pagelab.policy.LongIntMap} is an
 * open-addressing map from key to node index: linear probing with Fibonacci hashing, at most half
 * full, deletion by backward shift (no tombstones), key and value interleaved in one
 * {@code long[]}. {@link org.pagelab.policy.NodeLists} holds the policies' lists as intrusive doubly
 * linked lists over node indices, links interleaved in one {@code int[]}, plus a byte per node
 * naming its list. A policy's node {@code n} carries {@code keys[n]} and whatever per-page state
 * the policy needs (a reference bit, a frequency, a next-use index). Nodes come from a free stack,
 * so a policy allocates nothing after construction. LRU, the policy whose speed matters most,
 * uses no list at all: a hit only rewrites the key's map slot to point at a fresh entry of an
 * access-ordered ring, and eviction pops stale entries from the ring's old end until it finds a
 * live one ({@link org.pagelab.policy.LruPolicy} explains why that is exact and O(1) amortized).
 *
 * A trace read for a study is a {@link org.pagelab.policy.KeyTrace}: dense int ids in chunks and a
 * table of the distinct keys, 4 bytes an access; a replay expands a chunk at a time into a buffer
 * of the original keys for the policy's own loop.
 *
 * <h2>Miss-ratio curves</h2>
 * LRU and OPT are stack policies (Mattson, Gecsei, Slutz and Traiger 1970): the content of a
 * cache of c pages is always contained in that of c + 1 pages, so each access has a stack
 * distance and hits at every size at least that distance.
 * {@link org.pagelab.policy.MissRatioCurve#lru} computes the LRU curve at any number of sizes in
 * one pass: the distance of an access is the number of distinct keys accessed since the previous
 * access to its key, counted with a Fenwick tree that marks the latest position of every key,
 * O(n log n). {@link org.pagelab.policy.OptStack} computes OPT's distances in one pass with
 * Mattson's priority stack (the priority of a page is its next use): only the slots whose next use
 * exceeds every slot above them move, one record slot down, so the stack is a plain array scanned
 * from the top, O(depth) per access. Where that costs more than replaying OPT once per size (long
 * reuse distances), {@link org.pagelab.policy.MissRatioCurve#opt} replays per size instead. The other
 * policies are not stack policies (FIFO shows Belady's anomaly) and need one replay per size,
 * which {@link org.pagelab.policy.PolicyRuns} runs on threads.
 *
 * <h2>Invariants</h2>
 * Each policy's {@code check()} recomputes them; the tests run it after every access on small
 * caches and at the end of every replay.
 * <pre>
 *   every policy    accesses == hits + misses;  size &lt;= capacity;  map.size() == nodes on lists
 *                   (or live ring entries);  map.get(keys[n]) == n for every listed node;
 *                   lists walk the same both ways
 *   lru             map.size() == size == live ring entries;  back - front &lt;= ring length;
 *                   a ring slot's bit is set iff its entry is live
 *   twolist         map.size() == size
 *   mglru           map.size() == listed nodes;  1 &lt;= maxSeq - minSeq + 1 &lt;= 4;  lists outside
 *                   [minSeq, maxSeq] empty
 *   fifo, clock     map.size() == size;  hand in [0, c)
 *   arc             |T1| + |T2| &lt;= c;  |T1| + |B1| &lt;= c;  |T1| + |T2| + |B1| + |B2| &lt;= 2c;
 *                   0 &lt;= p &lt;= c;  |T1| + |T2| &lt; c  implies  B1 and B2 empty
 *   s3fifo          |S| + |M| &lt;= c;  |G| &lt;= ghost capacity;  0 &lt;= freq &lt;= 3, ghosts 0
 *   sieve, slru,    each list walks both ways; sizes within their shares; every listed node
 *   2q, car,        mapped; free nodes == all nodes - listed nodes
 *   wtinylfu, lecar
 *   lfu, lru2       heap ordered, each resident node ranked by its own count or times
 *   lirs            lir &lt;= Llirs; lir + |Q| &lt;= c; the bottom of S is LIR; LIR pages in S only
 *   clockpro        resident + free == c; hot count == hot pages listed; non-resident pages
 *                   cold, in test, at most c; HAND_cold at a cold resident page
 *   opt             heap ordered by next use;  every resident page's next use &gt;= accesses so far
 *   OptStack        slots &lt;= K;  slotOf.size() == slots;  slotOf.get(slotKey[s]) == s
 *   LongIntMap      occupied == used slots;  no key cut off from its home slot by a free slot
 * </pre>
 *
 * <h2>Order of calls</h2>
 * <pre>
 * Policies.create(name, pages[, trace])
 *   CachePolicy.replay(trace, from, to)     one access() per key, a monomorphic loop per class
 *     access(key) -&gt; LongIntMap.get (LRU: replace); hit: policy bookkeeping
 *                    miss: evict if full (LongIntMap.remove, LRU: removeIf), LongIntMap.put
 *   CachePolicy.stats()                     PolicyStats(policy, pages, accesses, hits, misses)
 *   CachePolicy.check()
 * MissRatioCurve.lru(trace, sizes)          one pass, no policy object
 * MissRatioCurve.opt(trace, sizes)          OptPolicy.nextUses, then OptStack.distances within a
 *                                           budget of scanned slots, else OptPolicy per size
 * </pre>
 *
 * <h2>References</h2>
 * <ol>
 *   <li>L. A. Belady, "A study of replacement algorithms for a virtual-storage computer", IBM
 *       Systems Journal 5(2), 1966 (MIN/OPT); L. A. Belady, R. A. Nelson, G. S. Shedler, "An
 *       anomaly in space-time characteristics of certain programs running in a paging machine",
 *       CACM 12(6), 1969.</li>
 *   <li>R. L. Mattson, J. Gecsei, D. R. Slutz, I. L. Traiger, "Evaluation techniques for storage
 *       hierarchies", IBM Systems Journal 9(2), 1970 (stack algorithms, one-pass curves).</li>
 *   <li>F. J. Corbató, "A paging experiment with the Multics system", MIT Project MAC, 1968
 *       (CLOCK).</li>
 *   <li>N. Megiddo, D. S. Modha, "ARC: A self-tuning, low overhead replacement cache", FAST 2003.</li>
 *   <li>J. Yang, Y. Zhang, Z. Qiu, Y. Yue, R. Vinayak, "FIFO queues are all you need for cache
 *       eviction", SOSP 2023 (S3-FIFO).</li>
 *   <li>Y. Zhang, J. Yang, Y. Yue, Y. Vigfusson, K. V. Rashmi, "SIEVE is simpler than LRU", NSDI
 *       2024; T. Johnson, D. Shasha, "2Q", VLDB 1994; R. Karedla, J. S. Love, B. G. Wherry, SLRU,
 *       IEEE Computer 1994; E. J. O'Neil, P. E. O'Neil, G. Weikum, "The LRU-K page replacement
 *       algorithm", SIGMOD 1993; M. Arlitt et al., LFU-DA, Performance Evaluation 39, 2000.</li>
 *   <li>S. Jiang, X. Zhang, "LIRS", SIGMETRICS 2002; S. Jiang, F. Chen, X. Zhang, "CLOCK-Pro",
 *       USENIX ATC 2005; S. Bansal, D. S. Modha, "CAR", FAST 2004.</li>
 *   <li>G. Einziger, R. Friedman, B. Manes, "TinyLFU", ACM TOS 13(4), 2017; G. Vietri et al.,
 *       "Driving cache replacement with ML-based LeCaR", HotStorage 2018.</li>
 *   <li>P. M. Fenwick, "A new data structure for cumulative frequency tables", Software: Practice
 *       and Experience 24(3), 1994.</li>
 *   <li>mm/vmscan.c (inactive_is_low, shrink_active_list, shrink_inactive_list), mm/swap.c
 *       (folio_mark_accessed); mm/workingset.c for the kernel's own refault-distance ghost; the
 *       CONFIG_LRU_GEN half of mm/vmscan.c (should_run_aging, inc_max_seq, try_to_inc_min_seq) and
 *       lru_gen_add_folio in include/linux/mm_inline.h for mglru.</li>
 * </ol>
 */
package org.pagelab.policy;
