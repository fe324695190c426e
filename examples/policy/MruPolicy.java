package com.example;

import java.util.HashSet;
import java.util.Set;
import org.pagelab.policy.PolicyBase;

/**
 * Most recently used: a miss of a full cache evicts the page accessed last. A policy of one's own
 * for the command line, to compile against the pagelab core jar and replay with
 * {@code pagelab replay TRACE --policy-only --pages N --policy com.example.MruPolicy --policy-jar mru.jar}
 * (docs/policies.md shows the commands). {@link PolicyBase} counts and replays; this class says
 * only what is resident and what a miss evicts. It needs the public constructor that takes the
 * capacity, by which pagelab makes it.
 */
public final class MruPolicy extends PolicyBase {
    private final Set<Long> resident = new HashSet<>();
    private long last;

    public MruPolicy(int capacity) {
        super("mru", capacity);
    }

    @Override
    protected boolean hit(long key) {
        if (resident.contains(key)) {
            last = key;
            return true;
        }
        return false;
    }

    @Override
    protected void miss(long key) {
        if (resident.size() == capacity()) {
            resident.remove(last);
        }
        resident.add(key);
        last = key;
    }

    @Override
    public int size() {
        return resident.size();
    }

    @Override
    public void check() {
        if (resident.size() > capacity() || (stats().accesses() > 0 && !resident.contains(last))) {
            throw new IllegalStateException("mru: " + resident.size() + " resident of " + capacity()
                    + ", last key " + last + " resident: " + resident.contains(last));
        }
    }
}
