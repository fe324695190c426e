package org.pagelab.mglru;

import org.pagelab.reclaim.LruEventSink;
import org.pagelab.reclaim.ReclaimPolicies;
import org.pagelab.reclaim.ReclaimPolicy;

/** Registers {@link MglruPolicy} in {@link ReclaimPolicies} under {@value MglruPolicy#NAME}. */
public final class MglruProvider implements ReclaimPolicies.Provider {
    /** Used by {@link java.util.ServiceLoader}. */
    public MglruProvider() {
    }

    @Override
    public String name() {
        return MglruPolicy.NAME;
    }

    @Override
    public ReclaimPolicy create(LruEventSink sink) {
        return new MglruPolicy(sink);
    }
}
