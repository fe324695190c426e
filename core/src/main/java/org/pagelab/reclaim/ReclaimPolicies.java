package org.pagelab.reclaim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The registry of {@link ReclaimPolicy} implementations, by name. A machine is built with one
 * policy, named in its configuration or on the command line.
 */
public final class ReclaimPolicies {
    /** The policy used when none is named: the kernel's two-list LRU. */
    public static final String DEFAULT = TwoListPolicy.NAME;

    private static final Map<String, Function<LruEventSink, ReclaimPolicy>> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put(TwoListPolicy.NAME, TwoListPolicy::new);
        java.util.ServiceLoader.load(Provider.class, ReclaimPolicies.class.getClassLoader()).stream()
                .map(java.util.ServiceLoader.Provider::get)
                .sorted(java.util.Comparator.comparing(Provider::name))
                .forEach(p -> {
                    if (FACTORIES.putIfAbsent(p.name(), p::create) != null) {
                        throw new ExceptionInInitializerError("two reclaim policies named '" + p.name() + "'");
                    }
                });
    }

    /**
     * A reclaim policy that lives in a package above this one (the multi-generational LRU in
     * {@code org.pagelab.mglru}) and registers itself through {@link java.util.ServiceLoader}, so
     * that this registry names it without this package depending on it. Implementations have a
     * public no-argument constructor and are listed in
     * {@code META-INF/services/org.pagelab.reclaim.ReclaimPolicies$Provider}.
     */
    public interface Provider {
        /** The registry name. */
        String name();

        /** A new instance reporting to {@code sink}. */
        ReclaimPolicy create(LruEventSink sink);
    }

    private ReclaimPolicies() {
    }

    /** The registered names, in registration order. */
    public static Set<String> names() {
        return FACTORIES.keySet();
    }

    /** Creates the policy called {@code name}, reporting events to {@code sink}. */
    public static ReclaimPolicy create(String name, LruEventSink sink) {
        Function<LruEventSink, ReclaimPolicy> f = FACTORIES.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown reclaim policy '" + name + "'; known: " + names());
        }
        return f.apply(sink);
    }
}
