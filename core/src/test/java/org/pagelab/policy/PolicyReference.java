package org.pagelab.policy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Slow, obviously right collection-based versions of the policies, as oracles, written from the papers. */
final class PolicyReference {

    private PolicyReference() {
    }

    /** Hit (true) or miss of each access of {@code trace} under LRU with {@code c} pages. */
    static boolean[] lru(long[] trace, int c) {
        List<Long> stack = new ArrayList<>();
        boolean[] hit = new boolean[trace.length];
        for (int i = 0; i < trace.length; i++) {
            hit[i] = stack.remove(Long.valueOf(trace[i]));
            if (!hit[i] && stack.size() == c) {
                stack.remove(stack.size() - 1);
            }
            stack.add(0, trace[i]);
        }
        return hit;
    }

    static boolean[] fifo(long[] trace, int c) {
        List<Long> queue = new ArrayList<>();
        boolean[] hit = new boolean[trace.length];
        for (int i = 0; i < trace.length; i++) {
            hit[i] = queue.contains(trace[i]);
            if (!hit[i]) {
                if (queue.size() == c) {
                    queue.remove(0);
                }
                queue.add(trace[i]);
            }
        }
        return hit;
    }

    static boolean[] clock(long[] trace, int c) {
        long[] slot = new long[c];
        boolean[] ref = new boolean[c];
        int used = 0;
        int hand = 0;
        boolean[] hit = new boolean[trace.length];
        outer:
        for (int i = 0; i < trace.length; i++) {
            for (int s = 0; s < used; s++) {
                if (slot[s] == trace[i]) {
                    ref[s] = true;
                    hit[i] = true;
                    continue outer;
                }
            }
            if (used < c) {
                slot[used++] = trace[i];
                continue;
            }
            while (ref[hand]) {
                ref[hand] = false;
                hand = (hand + 1) % c;
            }
            slot[hand] = trace[i];
            hand = (hand + 1) % c;
        }
        return hit;
    }

    /** Misses of Belady's OPT, by scanning the future at every eviction. */
    static long optMisses(long[] trace, int c) {
        List<Long> cache = new ArrayList<>();
        long misses = 0;
        for (int i = 0; i < trace.length; i++) {
            if (cache.contains(trace[i])) {
                continue;
            }
            misses++;
            if (cache.size() == c) {
                int victim = 0;
                int furthest = -1;
                for (int k = 0; k < cache.size(); k++) {
                    int next = Integer.MAX_VALUE;
                    for (int j = i + 1; j < trace.length; j++) {
                        if (trace[j] == cache.get(k)) {
                            next = j;
                            break;
                        }
                    }
                    if (next > furthest) {
                        furthest = next;
                        victim = k;
                    }
                }
                cache.remove(victim);
            }
            cache.add(trace[i]);
        }
        return misses;
    }

    /** ARC as in Figure 4 of Megiddo and Modha with integer p (arc-intp), with LinkedHashSets (first element = LRU end). */
    static boolean[] arc(long[] trace, int c) {
        return arc(trace, c, true);
    }

    /** ARC as in Figure 4, p integer (arc-intp) or real (arc). */
    static boolean[] arc(long[] trace, int c, boolean integerP) {
        LinkedHashSet<Long> t1 = new LinkedHashSet<>();
        LinkedHashSet<Long> t2 = new LinkedHashSet<>();
        LinkedHashSet<Long> b1 = new LinkedHashSet<>();
        LinkedHashSet<Long> b2 = new LinkedHashSet<>();
        double p = 0;
        boolean[] hit = new boolean[trace.length];
        for (int i = 0; i < trace.length; i++) {
            Long x = trace[i];
            if (t1.remove(x) || t2.remove(x)) {
                t2.add(x);
                hit[i] = true;
            } else if (b1.contains(x)) {
                p = Math.min(c, p + Math.max(1, integerP ? b2.size() / b1.size() : b2.size() / (double) b1.size()));
                arcReplace(t1, t2, b1, b2, p, false);
                b1.remove(x);
                t2.add(x);
            } else if (b2.contains(x)) {
                p = Math.max(0, p - Math.max(1, integerP ? b1.size() / b2.size() : b1.size() / (double) b2.size()));
                arcReplace(t1, t2, b1, b2, p, true);
                b2.remove(x);
                t2.add(x);
            } else {
                if (t1.size() + b1.size() == c) {
                    if (t1.size() < c) {
                        removeFirst(b1);
                        arcReplace(t1, t2, b1, b2, p, false);
                    } else {
                        removeFirst(t1);
                    }
                } else {
                    int total = t1.size() + t2.size() + b1.size() + b2.size();
                    if (total >= c) {
                        if (total == 2 * c) {
                            removeFirst(b2);
                        }
                        arcReplace(t1, t2, b1, b2, p, false);
                    }
                }
                t1.add(x);
            }
        }
        return hit;
    }

    private static void arcReplace(LinkedHashSet<Long> t1, LinkedHashSet<Long> t2, LinkedHashSet<Long> b1,
            LinkedHashSet<Long> b2, double p, boolean inB2) {
        if (!t1.isEmpty() && ((inB2 && t1.size() == p) || t1.size() > p || t2.isEmpty())) {
            b1.add(removeFirst(t1));
        } else {
            b2.add(removeFirst(t2));
        }
    }

    private static Long removeFirst(LinkedHashSet<Long> set) {
        Iterator<Long> it = set.iterator();
        Long first = it.next();
        it.remove();
        return first;
    }

    /**
     * libCacheSim's S3-FIFO: S of floor(c/10), G of floor(9c/10); M evicts while it is over c - |S| nominal
     * or S is empty; promotion needs frequency 2 and resets it; before the first eviction a full S
     * sends new pages to M.
     */
    static boolean[] s3fifoLibCacheSim(long[] trace, int c) {
        int smallCap = c / 10;
        int ghostCap = c * 9 / 10;
        ArrayDeque<Long> small = new ArrayDeque<>();
        ArrayDeque<Long> main = new ArrayDeque<>();
        ArrayDeque<Long> ghost = new ArrayDeque<>();
        Map<Long, Integer> freq = new HashMap<>();
        boolean evictedOnce = false;
        boolean[] hit = new boolean[trace.length];
        for (int i = 0; i < trace.length; i++) {
            Long x = trace[i];
            if (freq.containsKey(x)) {
                freq.put(x, Math.min(3, freq.get(x) + 1));
                hit[i] = true;
                continue;
            }
            boolean ghostHit = ghost.remove(x);
            if (small.size() + main.size() == c) {
                evictedOnce = true;
                boolean evicted = false;
                if (main.size() <= c - smallCap && !small.isEmpty()) {
                    while (!evicted && !small.isEmpty()) {
                        Long t = small.removeLast();
                        if (freq.get(t) >= 2) {
                            main.addFirst(t);
                            freq.put(t, 0);
                        } else {
                            freq.remove(t);
                            if (ghostCap > 0) {
                                if (ghost.size() == ghostCap) {
                                    ghost.removeLast();
                                }
                                ghost.addFirst(t);
                            }
                            evicted = true;
                        }
                    }
                }
                while (!evicted) {
                    Long t = main.removeLast();
                    int f = freq.get(t);
                    if (f > 0) {
                        freq.put(t, f - 1);
                        main.addFirst(t);
                    } else {
                        freq.remove(t);
                        evicted = true;
                    }
                }
            }
            (ghostHit || (!evictedOnce && small.size() >= smallCap) ? main : small).addFirst(x);
            freq.put(x, 0);
        }
        return hit;
    }

    /** S3-FIFO as in Algorithm 1 of Yang et al. (s3fifo-sosp), with ArrayDeques (head = first) and a frequency map. */
    static boolean[] s3fifo(long[] trace, int c) {
        int smallCap = Math.max(1, c / 10);
        int ghostCap = Math.max(1, c - smallCap);
        ArrayDeque<Long> small = new ArrayDeque<>();
        ArrayDeque<Long> main = new ArrayDeque<>();
        ArrayDeque<Long> ghost = new ArrayDeque<>();
        Map<Long, Integer> freq = new HashMap<>();
        boolean[] hit = new boolean[trace.length];
        for (int i = 0; i < trace.length; i++) {
            Long x = trace[i];
            if (freq.containsKey(x)) {
                freq.put(x, Math.min(3, freq.get(x) + 1));
                hit[i] = true;
                continue;
            }
            boolean ghostHit = ghost.remove(x);
            if (small.size() + main.size() == c) {
                boolean evicted = false;
                if (small.size() >= smallCap || main.isEmpty()) {
                    while (!evicted && !small.isEmpty()) {
                        Long t = small.removeLast();
                        if (freq.get(t) > 1) {
                            main.addFirst(t);
                        } else {
                            freq.remove(t);
                            if (ghost.size() == ghostCap) {
                                ghost.removeLast();
                            }
                            ghost.addFirst(t);
                            evicted = true;
                        }
                    }
                }
                while (!evicted) {
                    Long t = main.removeLast();
                    int f = freq.get(t);
                    if (f > 0) {
                        freq.put(t, f - 1);
                        main.addFirst(t);
                    } else {
                        freq.remove(t);
                        evicted = true;
                    }
                }
            }
            (ghostHit ? main : small).addFirst(x);
            freq.put(x, 0);
        }
        return hit;
    }
}
