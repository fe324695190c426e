package com.example;

import java.util.HashMap;
import java.util.Map;
import org.pagelab.policy.CachePolicy;
import org.pagelab.policy.PolicyStats;

/**
 * Most recently used: a miss of a full cache evicts the page accessed last. A complete policy of
 * one's own for pagelab, to compile against the pagelab core jar and replay with
 * {@code pagelab replay TRACE --policy-only --pages N --policy com.example.MruPolicy --policy-jar mru.jar}
 * (docs/traces.md shows the commands).
 */
public final class MruPolicy implements CachePolicy {
    private final int capacity;
    private final Map<Long, Boolean> resident = new HashMap<>();
    private long last;
    private long hits;
    private long misses;

    public MruPolicy(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("mru: capacity must be at least 1 page, got " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public boolean access(long key) {
        boolean hit = resident.containsKey(key);
        if (hit) {
            hits++;
        } else {
            misses++;
            if (resident.size() == capacity) {
                resident.remove(last);
            }
            resident.put(key, Boolean.TRUE);
        }
        last = key;
        return hit;
    }

    @Override
    public long replay(long[] keys, int from, int to) {
        long h = 0;
        for (int i = from; i < to; i++) {
            if (access(keys[i])) {
                h++;
            }
        }
        return h;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public String name() {
        return "mru";
    }

    @Override
    public int size() {
        return resident.size();
    }

    @Override
    public PolicyStats stats() {
        return new PolicyStats(name(), capacity, hits + misses, hits, misses);
    }

    @Override
    public void check() {
        if (resident.size() > capacity || (hits + misses > 0 && !resident.containsKey(last))) {
            throw new IllegalStateException("mru: " + resident.size() + " resident of " + capacity
                    + ", last key " + last + " resident: " + resident.containsKey(last));
        }
    }
}
