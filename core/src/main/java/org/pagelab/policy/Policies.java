package org.pagelab.policy;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The registry of fixed-capacity policies by name, a loader of policies from users' own classes,
 * and a replay helper.
 *
 * <p>Names are matched ignoring case, {@code -} and {@code _}, so {@code S3-FIFO}, {@code s3fifo}
 * and {@code two_list} are accepted. {@code opt} needs the whole trace ({@link OptPolicy}).
 *
 * <h2>Policies of one's own</h2>
 * A name with a dot is a class name: {@code com.example.MyPolicy} is loaded from the class loader
 * given (the CLI's {@code --policy-jar JAR} adds a jar), must implement {@link CachePolicy}, and
 * must have a public constructor taking the capacity ({@code (int)}), or the capacity and the whole
 * trace ({@code (int, long[])}) for an offline policy. Nothing else in pagelab changes: the policy
 * replays, compares and reports like the built-in ones. {@code examples/policy/} has a complete one.
 */
public final class Policies {

    /** How a registered policy is made. */
    private interface Factory {
        CachePolicy create(int capacity, long[] trace);
    }

    private static final Map<String, Factory> REGISTRY = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = Map.of("belady", "opt", "min", "opt", "twoq", "2q",
            "lruk", "lru2", "tinylfu", "wtinylfu", "lfuaging", "lfuda");

    static {
        REGISTRY.put("lru", (c, t) -> new LruPolicy(c));
        REGISTRY.put("clock", (c, t) -> new ClockPolicy(c));
        REGISTRY.put("fifo", (c, t) -> new FifoPolicy(c));
        REGISTRY.put("arc", (c, t) -> new ArcPolicy(c, false));
        REGISTRY.put("s3fifo", (c, t) -> new S3FifoPolicy(c, false));
        REGISTRY.put("twolist", (c, t) -> new TwoListCachePolicy(c));
        REGISTRY.put("opt", (c, t) -> {
            if (t == null) {
                throw new IllegalArgumentException("policy opt needs the whole trace in advance:"
                        + " use Policies.create(name, capacity, trace)");
            }
            return new OptPolicy(c, t);
        });
        REGISTRY.put("sieve", (c, t) -> new SievePolicy(c));
        REGISTRY.put("2q", (c, t) -> new TwoQueuePolicy(c));
        REGISTRY.put("slru", (c, t) -> new SlruPolicy(c));
        REGISTRY.put("lfu", (c, t) -> new LfuPolicy(c, false));
        REGISTRY.put("lfuda", (c, t) -> new LfuPolicy(c, true));
        REGISTRY.put("lru2", (c, t) -> new LruKPolicy(c));
        REGISTRY.put("lirs", (c, t) -> new LirsPolicy(c));
        REGISTRY.put("car", (c, t) -> new CarPolicy(c));
        REGISTRY.put("wtinylfu", (c, t) -> new WTinyLfuPolicy(c));
        REGISTRY.put("clockpro", (c, t) -> new ClockProPolicy(c));
        REGISTRY.put("lecar", (c, t) -> new LeCaRPolicy(c, LeCaRPolicy.DEFAULT_SEED));
        REGISTRY.put("random", (c, t) -> new RandomPolicy(c, RandomPolicy.DEFAULT_SEED));
        REGISTRY.put("mglru", (c, t) -> new MglruCachePolicy(c));
        REGISTRY.put("arc-intp", (c, t) -> new ArcPolicy(c, true));
        REGISTRY.put("s3fifo-sosp", (c, t) -> new S3FifoPolicy(c, true));
    }

    /** The registered names, in the order reports list them. */
    public static final List<String> NAMES = List.copyOf(REGISTRY.keySet());

    /** Largest capacity every policy takes, in pages (2^26, 256 GiB of 4 KiB pages). */
    public static final int MAX_CAPACITY = 1 << 26;

    private Policies() {
    }

    /**
     * A new, empty policy {@code name} of {@code capacity} pages. Requires: {@code capacity >= 1};
     * {@code name} registered and not {@code opt}, which needs {@link #create(String, int, long[])}.
     */
    public static CachePolicy create(String name, int capacity) {
        return create(name, capacity, null);
    }

    /**
     * A new, empty policy {@code name} of {@code capacity} pages that will be given {@code trace}
     * ({@code null} is allowed for every policy but {@code opt}). Requires: {@code capacity >= 1}.
     */
    public static CachePolicy create(String name, int capacity, long[] trace) {
        return create(name, capacity, trace, Policies.class.getClassLoader());
    }

    /**
     * As {@link #create(String, int, long[])}, loading a class-named policy from {@code loader}.
     * Throws {@link IllegalArgumentException} naming the problem for an unknown name, a class that
     * cannot be loaded or is not a {@link CachePolicy}, or a constructor that fails.
     */
    public static CachePolicy create(String name, int capacity, long[] trace, ClassLoader loader) {
        if (name != null && name.contains(".")) {
            return createClass(name, capacity, trace, loader);
        }
        Factory f = REGISTRY.get(canonical(name));
        if (f == null) {
            throw new IllegalArgumentException("unknown policy '" + name + "'; known policies: " + String.join(", ", NAMES)
                    + ", or a class name (com.example.MyPolicy) implementing " + CachePolicy.class.getName());
        }
        if (capacity < 1) {
            throw new IllegalArgumentException(canonical(name) + ": capacity must be at least 1 page, got " + capacity);
        }
        return f.create(capacity, trace);
    }

    /**
     * The registered name {@code name} stands for ({@code S3-FIFO} gives {@code s3fifo}), the class
     * name itself for a name with a dot, or the normalized name if nothing is registered under it.
     */
    public static String canonical(String name) {
        if (name == null) {
            throw new IllegalArgumentException("no policy name; known policies: " + String.join(", ", NAMES));
        }
        if (name.contains(".")) {
            return name;
        }
        String key = normalize(name);
        for (String registered : REGISTRY.keySet()) {
            if (normalize(registered).equals(key)) {
                return registered;
            }
        }
        return ALIASES.getOrDefault(key, key);
    }

    /** Throws {@link IllegalArgumentException} unless {@code name} can be created from {@code loader}. */
    public static void validate(String name, ClassLoader loader) {
        create(name, Math.max(2, minimumCapacity(name)), new long[0], loader);
    }

    /**
     * Whether {@code name} is a class (loaded from {@code loader}) with a constructor
     * {@code (int capacity, long[] trace)}: an offline policy, to be given the whole trace.
     */
    static boolean offline(String name, ClassLoader loader) {
        if (name == null || !name.contains(".")) {
            return false;
        }
        try {
            return constructor(Class.forName(name, false, loader), int.class, long[].class) != null;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The fewest pages policy {@code name} works with: 4 for clockpro, else 1. */
    public static int minimumCapacity(String name) {
        return canonical(name).equals("clockpro") ? ClockProPolicy.MIN_CAPACITY : 1;
    }

    private static CachePolicy createClass(String name, int capacity, long[] trace, ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(name, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("policy class " + name + " not found (give its jar with --policy-jar): " + e);
        }
        if (!CachePolicy.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("policy class " + name + " does not implement " + CachePolicy.class.getName());
        }
        try {
            Object made;
            Constructor<?> offline = constructor(type, int.class, long[].class);
            if (offline != null) {
                made = offline.newInstance(capacity, trace == null ? new long[0] : trace);
            } else {
                Constructor<?> online = constructor(type, int.class);
                if (online == null) {
                    throw new IllegalArgumentException("policy class " + name
                            + " has no public constructor (int capacity) or (int capacity, long[] trace)");
                }
                made = online.newInstance(capacity);
            }
            CachePolicy policy = (CachePolicy) made;
            if (policy.capacity() != capacity) {
                throw new IllegalArgumentException("policy class " + name + " made with capacity " + capacity
                        + " reports capacity " + policy.capacity());
            }
            return policy;
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("policy class " + name + ": constructor failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("policy class " + name + " cannot be made: " + e, e);
        }
    }

    private static Constructor<?> constructor(Class<?> type, Class<?>... parameters) {
        try {
            return type.getConstructor(parameters);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** Replays all of {@code trace} against a new policy {@code name} of {@code capacity} pages. */
    public static PolicyStats replay(String name, int capacity, long[] trace) {
        CachePolicy policy = create(name, capacity, trace);
        policy.replay(trace, 0, trace.length);
        return policy.stats();
    }

    private static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }
}
