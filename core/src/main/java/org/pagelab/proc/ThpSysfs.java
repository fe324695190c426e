package org.pagelab.proc;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.pagelab.machine.Machine;
import org.pagelab.memory.Khugepaged;
import org.pagelab.memory.MthpEnabled;
import org.pagelab.memory.MthpSettings;
import org.pagelab.memory.MthpStat;
import org.pagelab.memory.ThpDefrag;
import org.pagelab.memory.TransparentHugepage;

/**
 * The files of /sys/kernel/mm/transparent_hugepage/ (mm/huge_memory.c, Linux 6.8 for the
 * per-size directories): the top-level {@code enabled}, {@code defrag} and {@code use_zero_page}
 * (1 or 0: whether a read fault maps the huge zero page), and for each size
 * N of 16 to 2048 kB {@code hugepages-NkB/enabled} and {@code hugepages-NkB/stats/*}, and
 * khugepaged's tunables and counters under {@code khugepaged/}. The settings and tunables are
 * writable ({@code echo always > .../enabled}); the counters are not.
 */
final class ThpSysfs {
    /** The directory of the files. */
    static final String DIR = "/sys/kernel/mm/transparent_hugepage";

    private ThpSysfs() {
    }

    /** Registers every file for reading into {@code files}, in the order ProcFs lists them. */
    static void register(Map<String, Function<Machine, String>> files) {
        files.put(DIR + "/enabled", mc -> mc.memory().transparentHugepage().render() + "\n");
        files.put(DIR + "/defrag", mc -> mc.memory().thpDefrag().render() + "\n");
        files.put(DIR + "/use_zero_page", mc -> (mc.memory().useZeroPage() ? 1 : 0) + "\n");
        for (int o = MthpSettings.MIN_ORDER; o <= MthpSettings.MAX_ORDER; o++) {
            int order = o;
            String dir = sizeDir(order);
            files.put(dir + "/enabled", mc -> mc.memory().mthp().enabled(order).render() + "\n");
            for (MthpStat s : MthpStat.values()) {
                files.put(dir + "/stats/" + s.fileName(), mc -> mc.memory().mthp().stat(order, s) + "\n");
            }
        }
        for (Khugepaged.Tunable t : Khugepaged.Tunable.values()) {
            files.put(DIR + "/khugepaged/" + t.fileName(), mc -> mc.memory().khugepaged().get(t) + "\n");
        }
        files.put(DIR + "/khugepaged/full_scans", mc -> mc.memory().khugepaged().fullScans() + "\n");
        files.put(DIR + "/khugepaged/pages_collapsed", mc -> mc.memory().khugepaged().pagesCollapsed() + "\n");
    }

    /** The directory of {@code order}'s size: .../hugepages-64kB for order 4. */
    static String sizeDir(int order) {
        return DIR + "/hugepages-" + MthpSettings.sizeKb(order) + "kB";
    }

    /** Registers the writable settings into {@code writers}. */
    static void registerWriters(Map<String, BiConsumer<Machine, String>> writers) {
        writers.put(DIR + "/enabled", (mc, v) -> mc.memory().setTransparentHugepage(TransparentHugepage.parse(v)));
        writers.put(DIR + "/defrag", (mc, v) -> mc.memory().setThpDefrag(ThpDefrag.parse(v)));
        writers.put(DIR + "/use_zero_page", (mc, v) -> mc.memory().setUseZeroPage(zeroPageFlag(v)));
        for (int o = MthpSettings.MIN_ORDER; o <= MthpSettings.MAX_ORDER; o++) {
            int order = o;
            writers.put(sizeDir(order) + "/enabled", (mc, v) -> mc.memory().mthp().setEnabled(order, MthpEnabled.parse(v)));
        }
        for (Khugepaged.Tunable t : Khugepaged.Tunable.values()) {
            writers.put(DIR + "/khugepaged/" + t.fileName(), (mc, v) -> mc.memory().khugepaged().set(t, number(t, v)));
        }
    }

    /** A 0-or-1 flag file's value, as single_hugepage_flag_store reads it; throws naming the text otherwise. */
    static boolean zeroPageFlag(String text) {
        return switch (text) {
            case "0" -> false;
            case "1" -> true;
            default -> throw new IllegalArgumentException("bad use_zero_page '" + text + "': expected 0 or 1");
        };
    }

    /** A tunable's value as kstrtouint reads it in decimal; throws naming the text otherwise. */
    private static long number(Khugepaged.Tunable t, String text) {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("bad khugepaged/" + t.fileName() + " '" + text + "': expected a number");
        }
        return Long.parseLong(text);
    }
}
