package org.pagelab.policy;

import java.util.List;
import java.util.Locale;

/**
 * The registry of fixed-capacity policies by name, and a replay helper.
 *
 * <p>Names are matched ignoring case, {@code -} and {@code _}, so {@code S3-FIFO}, {@code s3fifo}
 * and {@code two_list} are accepted. {@code opt} needs the whole trace ({@link OptPolicy}).
 */
public final class Policies {

    /** The registered names, in the order reports list them. */
    public static final List<String> NAMES = List.of("lru", "clock", "fifo", "arc", "s3fifo", "twolist", "opt");

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
        String key = normalize(name);
        return switch (key) {
            case "lru" -> new LruPolicy(capacity);
            case "clock" -> new ClockPolicy(capacity);
            case "fifo" -> new FifoPolicy(capacity);
            case "arc" -> new ArcPolicy(capacity);
            case "s3fifo" -> new S3FifoPolicy(capacity);
            case "twolist" -> new TwoListCachePolicy(capacity);
            case "opt", "belady", "min" -> {
                if (trace == null) {
                    throw new IllegalArgumentException("policy opt needs the whole trace in advance:"
                            + " use Policies.create(name, capacity, trace)");
                }
                yield new OptPolicy(capacity, trace);
            }
            default -> throw new IllegalArgumentException("unknown policy '" + name + "'; known policies: "
                    + String.join(", ", NAMES));
        };
    }

    /** Replays all of {@code trace} against a new policy {@code name} of {@code capacity} pages. */
    public static PolicyStats replay(String name, int capacity, long[] trace) {
        CachePolicy policy = create(name, capacity, trace);
        policy.replay(trace, 0, trace.length);
        return policy.stats();
    }

    private static String normalize(String name) {
        if (name == null) {
            throw new IllegalArgumentException("no policy name; known policies: " + String.join(", ", NAMES));
        }
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }
}
