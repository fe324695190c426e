package org.pagelab.policy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Slow collection-based versions of the policies added after the first seven, written from their
 * papers as directly as possible: lists scanned linearly, no indices, no heaps. Each returns the hit
 * (true) or miss of every access.
 */
final class PolicyReferenceMore {

    private PolicyReferenceMore() {
    }

    /**
     * The kernel's two lists as the documentation of {@link TwoListCachePolicy} states them, on two
     * LinkedHashSets (iteration order: tail first): a hit on the inactive list activates, a hit on
     * the active list changes nothing; a miss of a full cache deactivates active tails while
     * {@code inactive * ratio < active}, with the kernel's ratio {@code floor(sqrt(10 * GiB))} (1
     * below one GiB of pages), then evicts the inactive tail; new keys go to the inactive head.
     */
    static boolean[] twolist(long[] trace, int c) {
        long gib = c >>> 18;
        long ratio = gib == 0 ? 1 : (long) Math.floor(Math.sqrt(10.0 * gib));
        java.util.LinkedHashSet<Long> inactive = new java.util.LinkedHashSet<>();
        java.util.LinkedHashSet<Long> active = new java.util.LinkedHashSet<>();
        boolean[] hit = new boolean[trace.length];
        for (int i = 0; i < trace.length; i++) {
            Long k = trace[i];
            if (active.contains(k)) {
                hit[i] = true;
            } else if (inactive.remove(k)) {
                active.add(k);
                hit[i] = true;
            } else {
                if (inactive.size() + active.size() == c) {
                    while (inactive.size() * ratio < active.size()) {
                        Long t = active.iterator().next();
                        active.remove(t);
                        inactive.add(t);
                    }
                    inactive.remove(inactive.iterator().next());
                }
                inactive.add(k);
            }
        }
        return hit;
    }

    static boolean[] random(long[] trace, int c, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Long> slots = new ArrayList<>();
        boolean[] hit = new boolean[trace.length];
        for (int i = 0; i < trace.length; i++) {
            hit[i] = slots.contains(trace[i]);
            if (!hit[i]) {
                if (slots.size() == c) {
                    slots.set(rnd.nextInt(c), trace[i]);
                } else {
                    slots.add(trace[i]);
                }
            }
        }
        return hit;
    }

    /** SIEVE: queue index 0 is the oldest; the hand walks towards higher indices (newer), wrapping to 0. */
    static boolean[] sieve(long[] trace, int c) {
        List<Long> queue = new ArrayList<>();
        Map<Long, Boolean> visited = new HashMap<>();
        Long hand = null;
        boolean[] hit = new boolean[trace.length];
        for (int i = 0; i < trace.length; i++) {
            Long x = trace[i];
            if (visited.containsKey(x)) {
                visited.put(x, true);
                hit[i] = true;
                continue;
            }
            if (queue.size() == c) {
                int at = hand == null ? 0 : queue.indexOf(hand);
                while (visited.get(queue.get(at))) {
                    visited.put(queue.get(at), false);
                    at = (at + 1) % queue.size();
                }
                hand = at + 1 < queue.size() ? queue.get(at + 1) : null;
                visited.remove(queue.remove(at));
            }
            queue.add(x);
            visited.put(x, false);
        }
        return hit;
    }

    /** Segmented LRU; lists with index 0 the MRU end. */
    static boolean[] slru(long[] trace, int c) {
        int protCap = c * 80 / 100;
        List<Long> probation = new ArrayList<>();
        List<Long> prot = new ArrayList<>();
        boolean[] hit = new boolean[trace.length];
        for (int i = 0; i < trace.length; i++) {
            Long x = trace[i];
            if (prot.remove(x)) {
                prot.add(0, x);
                hit[i] = true;
            } else if (probation.remove(x)) {
                prot.add(0, x);
                if (prot.size() > protCap) {
                    probation.add(0, prot.remove(prot.size() - 1));
                }
                hit[i] = true;
            } else {
                if (probation.size() + prot.size() == c) {
                    (probation.isEmpty() ? prot : probation).removeLast();
                }
                probation.add(0, x);
            }
        }
        return hit;
    }

    /** 2Q (full version); deques with the head first. */
    static boolean[] twoQueue(long[] trace, int c) {
        int kin = Math.max(1, c / 4);
        int kout = Math.max(1, c / 2);
        List<Long> a1in = new ArrayList<>();
        List<Long> a1out = new ArrayList<>();
        List<Long> am = new ArrayList<>();
        boolean[] hit = new boolean[trace.length];
        for (int i = 0; i < trace.length; i++) {
            Long x = trace[i];
            if (am.remove(x)) {
                am.add(0, x);
                hit[i] = true;
                continue;
            }
            if (a1in.contains(x)) {
                hit[i] = true;
                continue;
            }
            boolean ghost = a1out.remove(x);
            if (a1in.size() + am.size() == c) {
                if (a1in.size() > kin || am.isEmpty()) {
                    Long y = a1in.removeLast();
                    if (a1out.size() == kout) {
                        a1out.removeLast();
                    }
                    a1out.add(0, y);
                } else {
                    am.removeLast();
                }
            }
            (ghost ? am : a1in).add(0, x);
        }
        return hit;
    }

    /** CAR as in Figure 2 of Bansal and Modha; clocks as lists with index 0 the hand (oldest). */
    static boolean[] car(long[] trace, int c) {
        List<Long> t1 = new ArrayList<>();
        List<Long> t2 = new ArrayList<>();
        LinkedHashSet<Long> b1 = new LinkedHashSet<>(); // first = LRU
        LinkedHashSet<Long> b2 = new LinkedHashSet<>();
        Map<Long, Boolean> ref = new HashMap<>();
        double p = 0;
        boolean[] hit = new boolean[trace.length];
        for (int i = 0; i < trace.length; i++) {
            Long x = trace[i];
            if (t1.contains(x) || t2.contains(x)) {
                ref.put(x, true);
                hit[i] = true;
                continue;
            }
            boolean inB1 = b1.contains(x);
            boolean inB2 = b2.contains(x);
            if (t1.size() + t2.size() == c) {
                while (true) {
                    if (t1.size() >= Math.max(1, p)) {
                        Long h = t1.removeFirst();
                        if (!ref.get(h)) {
                            ref.remove(h);
                            b1.add(h);
                            break;
                        }
                        ref.put(h, false);
                        t2.add(h);
                    } else {
                        Long h = t2.removeFirst();
                        if (!ref.get(h)) {
                            ref.remove(h);
                            b2.add(h);
                            break;
                        }
                        ref.put(h, false);
                        t2.add(h);
                    }
                }
                if (!inB1 && !inB2) {
                    if (t1.size() + b1.size() == c) {
                        b1.remove(b1.iterator().next());
                    } else if (t1.size() + t2.size() + b1.size() + b2.size() == 2 * c) {
                        b2.remove(b2.iterator().next());
                    }
                }
            }
            if (inB1) {
                p = Math.min(p + Math.max(1, b2.size() / (double) b1.size()), c);
                b1.remove(x);
                t2.add(x);
            } else if (inB2) {
                p = Math.max(p - Math.max(1, b1.size() / (double) b2.size()), 0);
                b2.remove(x);
                t2.add(x);
            } else {
                t1.add(x);
            }
            ref.put(x, false);
        }
        return hit;
    }

    /**
     * LIRS as in Jiang and Zhang's paper: S a list with index 0 the top, Q a list with index 0 the
     * front; S unbounded; a repeat of the previous key is a hit that changes nothing.
     */
    static boolean[] lirs(long[] trace, int c) {
        int lirCap = c - (c <= 2 ? 1 : Math.max(2, c / 100));
        List<Long> s = new ArrayList<>();
        List<Long> q = new ArrayList<>();
        List<Long> nonResident = new ArrayList<>(); // index 0 = oldest
        Map<Long, Character> status = new HashMap<>(); // 'L', 'H' resident HIR, 'N' non-resident HIR
        int lir = 0;
        boolean[] hit = new boolean[trace.length];
        for (int i = 0; i < trace.length; i++) {
            Long x = trace[i];
            if (i > 0 && trace[i - 1] == trace[i]) {
                hit[i] = true;
                continue;
            }
            Character st = status.get(x);
            if (st != null && st == 'L') {
                hit[i] = true;
                s.remove(x);
                s.add(0, x);
                lirsPrune(s, status, nonResident);
                continue;
            }
            if (st != null && st == 'H') {
                hit[i] = true;
                if (s.contains(x)) {
                    q.remove(x);
                    lirsPromote(x, s, q, status, nonResident);
                } else {
                    if (lirCap > 0) {
                        s.add(0, x);
                    }
                    q.remove(x);
                    q.add(x);
                }
                continue;
            }
            if (st != null) {
                nonResident.remove(x);
            }
            if (lir + q.size() == c) {
                Long victim = q.removeFirst();
                if (s.contains(victim)) {
                    status.put(victim, 'N');
                    nonResident.add(victim);
                } else {
                    status.remove(victim);
                }
            }
            if (lir < lirCap) {
                status.put(x, 'L');
                lir++;
                s.remove(x);
                s.add(0, x);
            } else if (st != null) {
                lirsPromote(x, s, q, status, nonResident);
            } else {
                status.put(x, 'H');
                if (lirCap > 0) {
                    s.add(0, x);
                }
                q.add(x);
            }
        }
        return hit;
    }

    private static void lirsPromote(Long x, List<Long> s, List<Long> q, Map<Long, Character> status, List<Long> nr) {
        status.put(x, 'L');
        s.remove(x);
        s.add(0, x);
        Long bottom = s.removeLast();
        status.put(bottom, 'H');
        q.add(bottom);
        lirsPrune(s, status, nr);
    }

    private static void lirsPrune(List<Long> s, Map<Long, Character> status, List<Long> nr) {
        while (!s.isEmpty() && status.get(s.getLast()) != 'L') {
            Long t = s.removeLast();
            if (status.get(t) == 'N') {
                status.remove(t);
                nr.remove(t);
            }
        }
    }

    /** LFU (aging false) or LFU-DA: evict the least key, the least recently used of equal ones; a linear scan. */
    static boolean[] lfu(long[] trace, int c, boolean aging) {
        Map<Long, long[]> cache = new HashMap<>(); // key -> {count, K, last access}
        long age = 0;
        boolean[] hit = new boolean[trace.length];
        for (int i = 0; i < trace.length; i++) {
            long[] e = cache.get(trace[i]);
            if (e != null) {
                e[0]++;
                e[1] = aging ? e[0] + age : e[0];
                e[2] = i;
                hit[i] = true;
                continue;
            }
            if (cache.size() == c) {
                Long victim = null;
                for (Map.Entry<Long, long[]> m : cache.entrySet()) {
                    long[] v = m.getValue();
                    if (victim == null || v[1] < cache.get(victim)[1]
                            || (v[1] == cache.get(victim)[1] && v[2] < cache.get(victim)[2])) {
                        victim = m.getKey();
                    }
                }
                if (aging) {
                    age = cache.get(victim)[1];
                }
                cache.remove(victim);
            }
            cache.put(trace[i], new long[] {1, aging ? 1 + age : 1, i});
        }
        return hit;
    }

    /** LRU-2 with the history of the last c evicted keys: evict the oldest second-latest access, once-seen pages first. */
    static boolean[] lru2(long[] trace, int c) {
        Map<Long, long[]> resident = new HashMap<>(); // key -> {previous or -1, last}
        Map<Long, long[]> history = new HashMap<>();
        ArrayDeque<Long> historyOrder = new ArrayDeque<>(); // first = newest
        boolean[] hit = new boolean[trace.length];
        for (int i = 0; i < trace.length; i++) {
            Long x = trace[i];
            long[] e = resident.get(x);
            if (e != null) {
                e[0] = e[1];
                e[1] = i;
                hit[i] = true;
                continue;
            }
            long[] h = history.remove(x);
            if (h != null) {
                historyOrder.remove(x);
            }
            if (resident.size() == c) {
                Long victim = null;
                for (Map.Entry<Long, long[]> m : resident.entrySet()) {
                    long[] v = m.getValue();
                    long[] w = victim == null ? null : resident.get(victim);
                    if (w == null || v[0] < w[0] || (v[0] == w[0] && v[1] < w[1])) {
                        victim = m.getKey();
                    }
                }
                if (historyOrder.size() == c) {
                    history.remove(historyOrder.removeLast());
                }
                history.put(victim, resident.remove(victim));
                historyOrder.addFirst(victim);
            }
            resident.put(x, new long[] {h == null ? -1 : h[1], i});
        }
        return hit;
    }

    /** W-TinyLFU with the same sketch as the policy; lists with index 0 the MRU end. */
    static boolean[] wtinylfu(long[] trace, int c) {
        int windowCap = Math.max(1, c / 100);
        int protCap = (c - windowCap) * 80 / 100;
        FrequencySketch sketch = new FrequencySketch(c);
        List<Long> window = new ArrayList<>();
        List<Long> probation = new ArrayList<>();
        List<Long> prot = new ArrayList<>();
        boolean[] hit = new boolean[trace.length];
        for (int i = 0; i < trace.length; i++) {
            Long x = trace[i];
            sketch.increment(x);
            if (window.remove(x)) {
                window.add(0, x);
                hit[i] = true;
            } else if (prot.remove(x)) {
                prot.add(0, x);
                hit[i] = true;
            } else if (probation.remove(x)) {
                prot.add(0, x);
                if (prot.size() > protCap) {
                    probation.add(0, prot.removeLast());
                }
                hit[i] = true;
            } else {
                window.add(0, x);
                if (window.size() > windowCap) {
                    Long candidate = window.removeLast();
                    probation.add(0, candidate);
                    if (window.size() + probation.size() + prot.size() > c) {
                        Long victim = probation.getLast();
                        probation.remove(sketch.frequency(candidate) > sketch.frequency(victim) ? victim : candidate);
                    }
                }
            }
        }
        return hit;
    }

    /** LeCaR: lists with index 0 the newest; the LFU victim is found by a scan over (frequency, latest access). */
    static boolean[] lecar(long[] trace, int c, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double d = Math.pow(0.005, 1.0 / c);
        double wLru = 0.5;
        List<Long> recency = new ArrayList<>();
        Map<Long, long[]> meta = new HashMap<>(); // key -> {frequency, latest access or eviction time}
        List<Long> hLru = new ArrayList<>();
        List<Long> hLfu = new ArrayList<>();
        boolean[] hit = new boolean[trace.length];
        for (int i = 0; i < trace.length; i++) {
            Long x = trace[i];
            if (recency.remove(x)) {
                recency.add(0, x);
                meta.get(x)[0]++;
                meta.get(x)[1] = i;
                hit[i] = true;
                continue;
            }
            long freq = 1;
            boolean inLru = hLru.remove(x);
            boolean inLfu = !inLru && hLfu.remove(x);
            if (inLru || inLfu) {
                double r = Math.pow(d, i - meta.get(x)[1]);
                double wLfu = 1 - wLru;
                if (inLru) {
                    wLfu *= Math.exp(0.45 * r);
                } else {
                    wLru *= Math.exp(0.45 * r);
                }
                wLru = wLru / (wLru + wLfu);
                freq = meta.get(x)[0] + 1;
            }
            if (recency.size() == c) {
                boolean byLru = rnd.nextDouble() < wLru;
                Long victim;
                if (byLru) {
                    victim = recency.getLast();
                } else {
                    victim = null;
                    for (Long k : recency) {
                        long[] m = meta.get(k);
                        if (victim == null || m[0] < meta.get(victim)[0]
                                || (m[0] == meta.get(victim)[0] && m[1] < meta.get(victim)[1])) {
                            victim = k;
                        }
                    }
                }
                recency.remove(victim);
                List<Long> history = byLru ? hLru : hLfu;
                if (history.size() == c) {
                    meta.remove(history.removeLast());
                }
                history.add(0, victim);
                meta.get(victim)[1] = i;
            }
            recency.add(0, x);
            meta.put(x, new long[] {freq, i});
        }
        return hit;
    }

    /** Drops empty oldest generations, all of them in one go, while more than two remain. */
    private static void dropEmptyOldest(java.util.TreeMap<Long, List<Long>> gens) {
        while (gens.size() > 2 && gens.firstEntry().getValue().isEmpty()) {
            gens.pollFirstEntry();
        }
    }

    /**
     * MGLRU for mapped accesses as {@link MglruCachePolicy}'s documentation states it, on a
     * TreeMap from sequence number to a list of keys (index 0 the tail, appended at the head): every
     * access sets the key's accessed bit, a new key joins the youngest generation; before each look
     * at the oldest generation of an eviction, aging runs with fewer than three generations, or three
     * with the youngest over half the pages or the oldest under a quarter, moving accessed keys
     * (oldest generation first, tail first) to the youngest and opening a new one; an empty oldest
     * generations are dropped, all at once, while more than two remain; an accessed tail moves to the youngest, an
     * unaccessed one is evicted.
     */
    static boolean[] mglru(long[] trace, int c) {
        java.util.TreeMap<Long, List<Long>> gens = new java.util.TreeMap<>();
        for (long s = 0; s <= 3; s++) {
            gens.put(s, new ArrayList<>());
        }
        Map<Long, Boolean> bit = new HashMap<>();
        boolean[] hit = new boolean[trace.length];
        for (int i = 0; i < trace.length; i++) {
            Long x = trace[i];
            if (bit.containsKey(x)) {
                hit[i] = true;
                bit.put(x, true);
                continue;
            }
            if (bit.size() == c) {
                while (true) {
                    int n = gens.size();
                    int total = bit.size();
                    boolean aging = n < 3 || n == 3 && (gens.lastEntry().getValue().size() * 2 > total
                            || gens.firstEntry().getValue().size() * 4 < total);
                    if (aging) {
                        List<Long> young = gens.lastEntry().getValue();
                        List<Long> moved = new ArrayList<>();
                        for (List<Long> g : gens.values()) {
                            for (Long k : new ArrayList<>(g)) {
                                if (bit.get(k)) {
                                    bit.put(k, false);
                                    g.remove(k);
                                    moved.add(k);
                                }
                            }
                        }
                        young.addAll(moved);
                        gens.put(gens.lastKey() + 1, new ArrayList<>());
                        continue;
                    }
                    List<Long> oldest = gens.firstEntry().getValue();
                    if (oldest.isEmpty()) {
                        dropEmptyOldest(gens);
                        continue;
                    }
                    Long t = oldest.remove(0);
                    if (bit.get(t)) {
                        bit.put(t, false);
                        gens.lastEntry().getValue().add(t);
                        continue;
                    }
                    bit.remove(t);
                    dropEmptyOldest(gens);
                    break;
                }
            }
            bit.put(x, true);
            gens.lastEntry().getValue().add(x);
        }
        return hit;
    }
}
