package org.pagelab.api;

import java.util.List;
import org.pagelab.policy.CachePolicy;
import org.pagelab.policy.Policies;
import org.pagelab.policy.PolicyStats;
import org.pagelab.trace.TraceKeys;

/**
 * Policy-only studies, as {@code pagelab replay --policy-only} and {@code pagelab compare} run them:
 * a trace's page stream replayed against a fixed capacity, no machine around it. A policy of one's
 * own implements {@link CachePolicy} and is passed as an instance; the registered ones are named.
 */
public final class PolicyStudy {
    private PolicyStudy() {
    }

    /**
     * The page numbers of every access of the traces {@code specs} ({@code FORMAT[,KEY=VALUE...]:PATH}),
     * in order, read once for any number of replays.
     *
     * @throws IllegalArgumentException naming the trace, and the line or offset, when it is bad input
     * @param specs the traces, FORMAT[,KEY=VALUE...]:PATH each
     * @return the page numbers
     */
    public static long[] pages(String... specs) {
        try {
            return TraceKeys.load(List.of(specs));
        } catch (org.pagelab.trace.TraceException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Replays {@code pages} on {@code policy}, checks the policy's invariants, and returns its counts.
     *
     * @param policy a new, empty policy
     * @param pages the page stream
     * @return the policy's counts
     */
    public static PolicyStats replay(CachePolicy policy, long[] pages) {
        policy.replay(pages, 0, pages.length);
        policy.check();
        return policy.stats();
    }

    /**
     * Replays {@code pages} on a new policy registered as {@code name} (lru, clock, arc, lirs, opt,
     * ...; the names {@code pagelab compare} lists) of {@code capacity} pages.
     *
     * @param name a registered name, matched ignoring case, "-" and "_"
     * @param capacity the capacity in pages
     * @param pages the page stream
     * @return the policy's counts
     */
    public static PolicyStats replay(String name, int capacity, long[] pages) {
        return replay(Policies.create(name, capacity, pages, PolicyStudy.class.getClassLoader()), pages);
    }
}
