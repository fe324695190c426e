package org.pagelab.sweep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.pagelab.memory.MemoryManager;
import org.pagelab.memory.MthpEnabled;
import org.pagelab.memory.MthpSettings;
import org.pagelab.memory.TransparentHugepage;

/**
 * Transparent huge page settings given as text, in the kernel's own words: the top-level mode of
 * {@code /sys/kernel/mm/transparent_hugepage/enabled} (always, madvise, never) and per-size modes of
 * {@code hugepages-<N>kB/enabled} (always, inherit, madvise, never) written {@code SIZE=MODE} with
 * the sizes spelt as the kernel's {@code thp_anon=} boot parameter spells them ({@code 16K} to
 * {@code 2M}; {@code 64kB} and {@code 2048K} are read too). A text is items separated by spaces or
 * commas, at most one top-level mode and each size at most once:
 * <pre>
 *   never                     no PMD-sized folios (the other sizes keep their setting)
 *   64K=always 2M=never       64 KiB folios wherever they fit, no PMD-sized ones
 *   madvise,16K=inherit       PMD-sized and 16 KiB folios in MADV_HUGEPAGE regions
 * </pre>
 * What a text does not name keeps its setting (the kernel's boot defaults: 2M inherit, the smaller
 * sizes never, top level always), as a write to one sysfs file leaves the others alone. The
 * canonical text puts the top-level mode first and the sizes in ascending order, separated by one
 * space, so two spellings of one setting are one sweep point. {@code replay --thp/--thp-size},
 * {@code compare} and the sweep axis {@code transparent_hugepage} all read this form.
 *
 * @param enabled the top-level mode, or null to leave it
 * @param sizes   size in KiB to its mode, ascending; empty to leave every size
 */
public record ThpSettings(TransparentHugepage enabled, Map<Integer, MthpEnabled> sizes) {
    /** Nothing set: the machine's own settings stay. */
    public static final ThpSettings NONE = new ThpSettings(null, Map.of());

    public ThpSettings {
        TreeMap<Integer, MthpEnabled> sorted = new TreeMap<>();
        sizes.forEach((kb, mode) -> {
            MthpSettings.orderOfKb(kb);
            sorted.put(kb, java.util.Objects.requireNonNull(mode));
        });
        sizes = Collections.unmodifiableMap(sorted);
    }

    /** One per-size setting: {@code hugepages-<kb>kB/enabled} set to {@code mode}. */
    public record Size(int kb, MthpEnabled mode) {
        public Size {
            MthpSettings.orderOfKb(kb);
        }

        /** The text {@code SIZE=MODE}: {@code 64K=always}. */
        @Override
        public String toString() {
            return sizeText(kb) + "=" + mode.kernelName();
        }
    }

    /**
     * Reads a text of items separated by spaces or commas (see the class comment); throws
     * {@link IllegalArgumentException} naming the item that is wrong and what was expected.
     */
    public static ThpSettings parse(String text) {
        TransparentHugepage enabled = null;
        List<Size> sizes = new ArrayList<>();
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty transparent huge page setting: expected " + EXPECTED);
        }
        for (String item : trimmed.split("[\\s,]+")) {
            if (item.indexOf('=') >= 0) {
                sizes.add(parseSize(item));
            } else {
                TransparentHugepage t = parseMode(item);
                if (enabled != null) {
                    throw new IllegalArgumentException("'" + text.trim() + "' gives the top-level mode twice ("
                            + enabled.kernelName() + ", " + t.kernelName() + ")");
                }
                enabled = t;
            }
        }
        return of(enabled, sizes);
    }

    /** What a text looks like, for messages. */
    public static final String EXPECTED = "always, madvise or never (the top level, PMD-sized folios), and/or SIZE=MODE"
            + " per size (64K=always 2M=never; sizes 16K to 2M, modes always, inherit, madvise, never)";

    /**
     * The settings of top-level mode {@code enabled} (null: unchanged) and {@code sizes}; throws
     * {@link IllegalArgumentException} naming a size that is given twice.
     */
    public static ThpSettings of(TransparentHugepage enabled, List<Size> sizes) {
        Map<Integer, MthpEnabled> m = new TreeMap<>();
        for (Size s : sizes) {
            MthpEnabled before = m.put(s.kb(), s.mode());
            if (before != null) {
                throw new IllegalArgumentException("size " + sizeText(s.kb()) + " is given twice (" + sizeText(s.kb()) + "="
                        + before.kernelName() + ", " + s + ")");
            }
        }
        return new ThpSettings(enabled, m);
    }

    /** Reads the top-level mode: always, madvise or never; throws naming the text otherwise. */
    public static TransparentHugepage parseMode(String text) {
        try {
            return TransparentHugepage.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': expected always, madvise or never, or SIZE=MODE such as"
                    + " 64K=always");
        }
    }

    /**
     * Reads one per-size setting {@code SIZE=MODE} ({@code 64K=always}); throws
     * {@link IllegalArgumentException} naming the item and what was wrong with it.
     */
    public static Size parseSize(String item) {
        int eq = item.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("'" + item + "': expected SIZE=MODE, such as 64K=always");
        }
        String size = item.substring(0, eq).trim();
        String mode = item.substring(eq + 1).trim();
        int kb = parseKb(size, item);
        try {
            return new Size(kb, MthpEnabled.parse(mode));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + item + "': bad mode '" + mode
                    + "' for hugepages-" + kb + "kB/enabled: expected always, inherit, madvise or never");
        }
    }

    private static int parseKb(String size, String item) {
        String s = size.toLowerCase(Locale.ROOT);
        int multiplier;
        String digits;
        if (s.endsWith("kb") || s.endsWith("k")) {
            multiplier = 1;
            digits = s.substring(0, s.length() - (s.endsWith("kb") ? 2 : 1));
        } else if (s.endsWith("mb") || s.endsWith("m")) {
            multiplier = 1024;
            digits = s.substring(0, s.length() - (s.endsWith("mb") ? 2 : 1));
        } else {
            throw badSize(size, item);
        }
        if (digits.isEmpty() || digits.length() > 7 || !digits.chars().allMatch(Character::isDigit)) {
            throw badSize(size, item);
        }
        long kb = Long.parseLong(digits) * multiplier;
        for (int o = MthpSettings.MIN_ORDER; o <= MthpSettings.MAX_ORDER; o++) {
            if (MthpSettings.sizeKb(o) == kb) {
                return (int) kb;
            }
        }
        throw badSize(size, item);
    }

    private static IllegalArgumentException badSize(String size, String item) {
        List<String> known = new ArrayList<>();
        for (int o = MthpSettings.MIN_ORDER; o <= MthpSettings.MAX_ORDER; o++) {
            known.add(sizeText(MthpSettings.sizeKb(o)));
        }
        return new IllegalArgumentException("'" + item + "': no transparent huge page size '" + size + "' (expected "
                + String.join(", ", known.subList(0, known.size() - 1)) + " or " + known.getLast() + ")");
    }

    /** The size as the kernel's thp_anon parameter writes it: 16K, ..., 512K, 1M, 2M. */
    public static String sizeText(int kb) {
        return kb % 1024 == 0 ? kb / 1024 + "M" : kb + "K";
    }

    /** Whether nothing is set. */
    public boolean isEmpty() {
        return enabled == null && sizes.isEmpty();
    }

    /** The canonical text: the top-level mode, then {@code SIZE=MODE} by ascending size, one space apart. */
    public String canonical() {
        List<String> items = new ArrayList<>();
        if (enabled != null) {
            items.add(enabled.kernelName());
        }
        sizes.forEach((kb, mode) -> items.add(new Size(kb, mode).toString()));
        return String.join(" ", items);
    }

    @Override
    public String toString() {
        return canonical();
    }

    /** Sets the settings on {@code memory}'s sysfs files; what they do not name stays. */
    public void apply(MemoryManager memory) {
        if (enabled != null) {
            memory.setTransparentHugepage(enabled);
        }
        sizes.forEach((kb, mode) -> memory.mthp().setEnabled(MthpSettings.orderOfKb(kb), mode));
    }

    /** The sizes as a scenario's {@code transparent_hugepage_sizes} keys them: "64kB" to the mode's name. */
    public Map<String, String> scenarioSizes() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        sizes.forEach((kb, mode) -> out.put(kb + "kB", mode.kernelName()));
        return out;
    }
}
