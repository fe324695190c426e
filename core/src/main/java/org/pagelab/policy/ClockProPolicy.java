package org.pagelab.policy;

/**
 * CLOCK-Pro (Jiang, Chen and Zhang, "CLOCK-Pro: an effective improvement of the CLOCK
 * replacement", USENIX ATC 2005), as the authors' simulator ({@code clock-pro.c}, shipped with the
 * LIRS traces) runs it with its default settings: LIRS's idea of reuse distance, carried out by
 * three clock hands over one circular list, so a hit only sets a reference bit.
 *
 * <h2>Pages and the list</h2>
 * A resident page is hot or cold; a cold page may be in its test period, during which its key
 * stays in the list after eviction (a non-resident cold page). New pages and pages that survive a
 * hand are put at the list's head; the hands sweep from the oldest end towards the head and wrap.
 * The first {@code c - m} pages to arrive become hot, the next {@code m} cold, with
 * {@code m = max(2, c * 5 / 100)}, the cold allocation the simulator fixes by default (its
 * adaptive mode is off); one promotion to hot always comes with one demotion, so the split holds
 * afterwards. CLOCK-Pro needs at least four pages: HAND_hot demotes a page before the promotion
 * that balances it, and stops only at a hot page, so with a single hot page it would turn forever;
 * with a single cold page HAND_cold, after evicting it, could only find it again as a non-resident
 * page. The simulator itself refuses fewer than five.
 *
 * <h2>The hands</h2>
 * <ul>
 *   <li><b>HAND_cold</b> frees a page: at a cold resident page whose bit is clear or which is not
 *       in its test period, the page is evicted (kept as non-resident while in its test period,
 *       else forgotten) and the hand moves on to the next cold page. A cold page with its bit set in
 *       its test period is promoted to hot at the head (and HAND_hot demotes one hot page), and the
 *       search goes on.</li>
 *   <li><b>HAND_hot</b> demotes one hot page: a hot page with its bit set has it cleared, one
 *       without becomes cold; either way it moves to the head. The hand passes cold pages, and
 *       runs HAND_test one step whenever it would pass it; it stops at a hot page after its
 *       demotion.</li>
 *   <li><b>HAND_test</b> ends test periods: at a cold page it clears the test flag and the bit, and
 *       forgets it if it is non-resident. When more than {@code c} non-resident pages are listed,
 *       it moves to the next one (ending the test periods of the resident cold pages it passes) and
 *       forgets it.</li>
 * </ul>
 * A miss on a key in the list (a non-resident cold page in its test period) frees a page with
 * HAND_cold and then promotes the page to hot, running HAND_hot; if the hands forgot it meanwhile,
 * or any other miss, it enters as a cold page in its test period. A hit sets the page's bit; an
 * access to the key accessed just before is a hit that changes nothing (the simulator skips it).
 *
 * <p>Data: a {@link LongIntMap} from key to node, the circular list as {@code next}/{@code prev}
 * arrays over {@code 2c + 2} nodes (c resident, at most c + 1 non-resident at once), a flag byte per
 * node, the head and three hands as node indices. A hit is O(1); a miss is O(1) amortized.
 *
 * <p>Invariants: resident pages + free pages == c; {@code hot ==} hot pages listed; non-resident
 * pages are cold, in test and at most c; every listed page is mapped; the list walks the same both
 * ways; the hands and head are on the list; HAND_cold is at a cold resident page.
 */
public final class ClockProPolicy extends AbstractPolicy {

    private static final byte RESIDENT = 1;
    private static final byte COLD = 2;
    private static final byte IN_CLOCK = 4;
    private static final byte IN_TEST = 8;
    private static final byte REF = 16;
    private static final int NIL = -1;

    private final int minCold;
    private final LongIntMap map;
    private final long[] keys;
    private final int[] next;
    private final int[] prev;
    private final byte[] flags;
    private final NodePool pool;
    private int head = NIL;
    private int handHot = NIL;
    private int handCold = NIL;
    private int handTest = NIL;
    private int free;
    private int hot;
    private int nonResident;
    private int listed;
    private long lastKey;
    private boolean accessed;

    /** The fewest pages CLOCK-Pro works with: two hot pages and two cold ones. */
    public static final int MIN_CAPACITY = 4;

    /** Requires: {@code capacity >= 4}. */
    public ClockProPolicy(int capacity) {
        super("clockpro", capacity);
        if (capacity < MIN_CAPACITY) {
            throw new IllegalArgumentException("clockpro: capacity must be at least " + MIN_CAPACITY
                    + " pages (two hot and two cold ones), got " + capacity);
        }
        minCold = (int) Math.max(2, capacity * 5L / 100);
        int nodes = 2 * capacity + 2;
        map = new LongIntMap(nodes);
        keys = new long[nodes];
        next = new int[nodes];
        prev = new int[nodes];
        flags = new byte[nodes];
        pool = new NodePool(nodes);
        free = capacity;
    }

    private boolean is(int node, byte flag) {
        return (flags[node] & flag) != 0;
    }

    private void set(int node, byte flag, boolean on) {
        flags[node] = (byte) (on ? flags[node] | flag : flags[node] & ~flag);
    }

    @Override
    public boolean access(long key) {
        if (accessed && key == lastKey) {
            hits++;
            return true;
        }
        accessed = true;
        lastKey = key;
        int node = map.get(key);
        if (node != LongIntMap.MISSING && is(node, RESIDENT)) {
            hits++;
            set(node, REF, true);
            return true;
        }
        misses++;
        if (free > minCold) {
            node = newNode(key, RESIDENT);
            free--;
            hot++;
            if (handHot == NIL) {
                handHot = node;
                handTest = node;
                head = node;
                next[node] = node;
                prev[node] = node;
                set(node, IN_CLOCK, true);
                listed++;
            } else {
                insertAtHead(node);
            }
            return false;
        }
        if (free > 0) {
            node = newNode(key, (byte) (RESIDENT | COLD | IN_TEST));
            free--;
            if (handCold == NIL) {
                handCold = node;
            }
            insertAtHead(node);
            return false;
        }
        if (node == LongIntMap.MISSING) {
            runHandCold();
            insertCold(key);
            return false;
        }
        runHandCold();
        node = map.get(key);
        if (node == LongIntMap.MISSING) {
            insertCold(key);
            return false;
        }
        int matched = runHandHot(node);
        if (matched == 1) {
            if (map.get(key) != LongIntMap.MISSING) {
                throw new IllegalStateException("clockpro: HAND_hot met key " + key + " but left it listed");
            }
            insertCold(key);
            return false;
        }
        if (matched == 2) {
            node = newNode(key, RESIDENT);
        } else {
            if (node == handTest) {
                handTest = prev[node];
            }
            unlink(node);
            nonResident--;
            flags[node] = RESIDENT;
        }
        free--;
        hot++;
        insertAtHead(node);
        return false;
    }

    /** A node for {@code key} with {@code f}, on no list. */
    private int newNode(long key, byte f) {
        int node = pool.take();
        keys[node] = key;
        flags[node] = f;
        map.put(key, node);
        return node;
    }

    private void insertCold(long key) {
        if (free != 1) {
            throw new IllegalStateException("clockpro: " + free + " free pages where one was freed");
        }
        int node = newNode(key, (byte) (RESIDENT | COLD | IN_TEST));
        free--;
        insertAtHead(node);
    }

    /** Puts {@code node}, not listed, just before the head, and makes it the head. */
    private void insertAtHead(int node) {
        int tail = prev[head];
        next[node] = head;
        prev[node] = tail;
        next[tail] = node;
        prev[head] = node;
        head = node;
        set(node, IN_CLOCK, true);
        listed++;
    }

    /** Takes {@code node} off the list, clearing its test flag and bit. Requires: no hand or head on it. */
    private void unlink(int node) {
        if (node == handCold || node == handHot || node == handTest || node == head) {
            throw new IllegalStateException("clockpro: unlinking node " + node + " under a hand or the head");
        }
        next[prev[node]] = next[node];
        prev[next[node]] = prev[node];
        flags[node] &= ~(IN_CLOCK | IN_TEST | REF);
        listed--;
    }

    /** Unlinks {@code node} for good: it leaves the map and its node is free again. */
    private void forget(int node) {
        unlink(node);
        map.remove(keys[node]);
        pool.give(node);
    }

    /** Demotes one hot page; returns 2 if it met {@code coldPage} and demoted, 1 if it met it only, else 0. */
    private int runHandHot(int coldPage) {
        boolean done = false;
        boolean matched = false;
        boolean demoted = false;
        while (!done || is(handHot, COLD)) {
            if (!is(handHot, COLD)) {
                if (is(handHot, REF)) {
                    set(handHot, REF, false);
                } else {
                    set(handHot, COLD, true);
                    done = true;
                    hot--;
                    demoted = true;
                }
                int moved = handHot;
                if (handTest == handHot) {
                    handTest = prev[handTest];
                }
                handHot = prev[handHot];
                unlink(moved);
                insertAtHead(moved);
            } else {
                if (handHot == coldPage) {
                    done = true;
                    matched = true;
                }
                handHot = prev[handHot];
            }
            if (next[handHot] == handTest) {
                runHandTest(true);
            }
        }
        return matched ? (demoted ? 2 : 1) : 0;
    }

    /** One step of HAND_test if {@code step}; then forgets non-resident pages beyond c. */
    private void runHandTest(boolean step) {
        if (step) {
            if (is(handTest, COLD)) {
                set(handTest, IN_TEST, false);
                set(handTest, REF, false);
                if (!is(handTest, RESIDENT)) {
                    handTest = prev[handTest];
                    forget(next[handTest]);
                    nonResident--;
                } else {
                    handTest = prev[handTest];
                }
            } else {
                handTest = prev[handTest];
            }
        }
        if (nonResident > capacity) {
            while (is(handTest, RESIDENT)) {
                if (is(handTest, COLD)) {
                    set(handTest, IN_TEST, false);
                    set(handTest, REF, false);
                }
                handTest = prev[handTest];
            }
            handTest = prev[handTest];
            forget(next[handTest]);
            nonResident--;
        }
    }

    /** Frees one resident page. */
    private void runHandCold() {
        while (true) {
            if (!is(handCold, REF) || !is(handCold, IN_TEST)) {
                set(handCold, RESIDENT, false);
                free++;
                handCold = prev[handCold];
                int evicted = next[handCold];
                if (is(evicted, IN_TEST)) {
                    nonResident++;
                } else {
                    forget(evicted);
                }
                while (!is(handCold, COLD)) {
                    handCold = prev[handCold];
                }
                runHandTest(false);
                return;
            }
            int matched = runHandHot(handCold);
            if (matched != 1) {
                int promoted = handCold;
                handCold = prev[handCold];
                unlink(promoted);
                insertAtHead(promoted);
                set(promoted, COLD, false);
                hot++;
            }
            while (!is(handCold, COLD)) {
                handCold = prev[handCold];
            }
        }
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
        return capacity - free;
    }

    @Override
    public void check() {
        map.check();
        int resident = 0;
        int hotSeen = 0;
        int nonResidentSeen = 0;
        int count = 0;
        boolean sawHandHot = false;
        boolean sawHandCold = handCold == NIL;
        boolean sawHandTest = false;
        if (head != NIL) {
            int n = head;
            do {
                if (!(is(n, IN_CLOCK) && map.get(keys[n]) == n)) {
                    require(false, "listed node " + n + " is flagged and mapped");
                }
                if (!(prev[next[n]] == n)) {
                    require(false, "the list walks the same both ways at node " + n);
                }
                if (is(n, RESIDENT)) {
                    resident++;
                    if (!is(n, COLD)) {
                        hotSeen++;
                    }
                } else {
                    nonResidentSeen++;
                    if (!(is(n, COLD) && is(n, IN_TEST))) {
                        require(false, "a non-resident page is cold and in test, node " + n);
                    }
                }
                sawHandHot |= n == handHot;
                sawHandCold |= n == handCold;
                sawHandTest |= n == handTest;
                n = next[n];
                if (!(++count <= listed)) {
                    require(false, "the list closes after " + listed + " nodes");
                }
            } while (n != head);
        }
        require(count == listed, "listed == nodes on the list");
        if (!(resident + free == capacity)) {
            require(false, "resident + free == c");
        }
        checkCommon(map.size() - nonResidentSeen, resident);
        if (!(hotSeen == hot)) {
            require(false, "hot == hot pages listed (" + hotSeen + " vs " + hot + ")");
        }
        require(nonResidentSeen == nonResident && nonResident <= capacity, "non-resident == counted <= c");
        require(pool.available() == pool.nodes() - map.size(), "free nodes == all nodes - mapped");
        require(head == NIL || (sawHandHot && sawHandCold && sawHandTest), "the hands are on the list");
        require(handCold == NIL || (is(handCold, COLD) && is(handCold, RESIDENT)), "HAND_cold at a cold resident page");
    }
}
