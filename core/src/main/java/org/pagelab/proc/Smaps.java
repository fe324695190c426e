package org.pagelab.proc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pagelab.filemap.Inode;
import org.pagelab.machine.Machine;
import org.pagelab.memory.Process;
import org.pagelab.phys.MemSize;
import org.pagelab.vma.VmFlags;
import org.pagelab.vma.Vma;

/**
 * The /proc/&lt;pid&gt;/smaps file of one process: for each VMA, in address order, its maps line
 * and the smaps counters of that VMA alone (fs/proc/task_mmu.c, show_smap), counted by the same
 * walk as {@link SmapsRollup} with the same rules, large folios included.
 *
 * <p>A VMA's block: the header line as /proc/&lt;pid&gt;/maps prints it (start-end, permissions,
 * the offset in the file, device, inode, then the name padded to column 73: the file's path, with
 * " (deleted)" once it is unlinked; nothing for anonymous memory), then Size, KernelPageSize and
 * MMUPageSize, the counters of {@link SmapsRollup#FIELDS} less the three smaps_rollup alone has
 * (Pss_Anon, Pss_File, Pss_Shmem), THPeligible ({@link org.pagelab.memory.MemoryManager#thpEligible})
 * and VmFlags (the two-letter names of the flags pagelab keeps, each followed by a space).
 * Counter lines are padded as in smaps_rollup. The device is 00:00: pagelab's file systems have
 * no device numbers.
 *
 * <p>Invariant (recomputed by {@link #check}): every counter of smaps_rollup equals the sum of
 * that counter over the VMAs, in bytes and, for the Pss ones, in fixed point before truncation.
 * The printed kB of a Pss counter may then fall short of the rollup's by less than 1 kB per VMA,
 * as the kernel's do.
 */
public final class Smaps {
    /** The counters show_smap leaves out: smaps_rollup alone prints them. */
    static final Set<String> ROLLUP_ONLY = Set.of("Pss_Anon", "Pss_File", "Pss_Shmem");

    /** The flag bits pagelab keeps and their names in VmFlags, in bit order (show_smap_vma_flags). */
    private static final int[] FLAG_BITS = {VmFlags.VM_READ, VmFlags.VM_WRITE, VmFlags.VM_EXEC, VmFlags.VM_SHARED,
        VmFlags.VM_MAYREAD, VmFlags.VM_MAYWRITE, VmFlags.VM_MAYEXEC, VmFlags.VM_MAYSHARE, VmFlags.VM_DONTCOPY,
        VmFlags.VM_ACCOUNT, VmFlags.VM_WIPEONFORK, VmFlags.VM_HUGEPAGE, VmFlags.VM_NOHUGEPAGE};
    private static final String[] FLAG_NAMES = {"rd", "wr", "ex", "sh", "mr", "mw", "me", "ms", "dc", "ac", "wf", "hg", "nh"};

    private final Machine machine;
    private final Process process;
    private final SmapsRollup walker;

    /** The smaps view of {@code process}, a process of {@code machine}'s memory manager. */
    public Smaps(Machine machine, Process process) {
        this.machine = machine;
        this.process = process;
        this.walker = new SmapsRollup(machine, process);
    }

    /** One VMA's counters as smaps prints them: name to kB, in the file's order. */
    public record Entry(Vma vma, Map<String, Long> fields) {
    }

    /** The VMAs with their counters, in address order; none once the process has exited. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        if (!process.alive()) {
            return out;
        }
        for (Vma v : process.mm().vmas()) {
            Map<String, Long> all = SmapsRollup.fields(walker.gather(List.of(v)));
            Map<String, Long> shown = new LinkedHashMap<>();
            all.forEach((k, kb) -> {
                if (!ROLLUP_ONLY.contains(k)) {
                    shown.put(k, kb);
                }
            });
            out.add(new Entry(v, shown));
        }
        return out;
    }

    /** The file's text. */
    public String render() {
        StringBuilder sb = new StringBuilder(1024);
        for (Entry e : entries()) {
            Vma v = e.vma();
            sb.append(header(v)).append('\n');
            line(sb, "Size", v.length() >> 10);
            line(sb, "KernelPageSize", MemSize.PAGE_SIZE >> 10);
            line(sb, "MMUPageSize", MemSize.PAGE_SIZE >> 10);
            e.fields().forEach((k, kb) -> line(sb, k, kb));
            sb.append("THPeligible:    ").append(machine.memory().thpEligible(v) ? 1 : 0).append('\n');
            sb.append("VmFlags: ");
            for (int i = 0; i < FLAG_BITS.length; i++) {
                if (v.test(FLAG_BITS[i])) {
                    sb.append(FLAG_NAMES[i]).append(' ');
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String name, long kb) {
        sb.append(Columns.padRight(name + ":", 16)).append(Columns.padLeft(Long.toString(kb), 8)).append(" kB\n");
    }

    /** The maps line of {@code v} (show_map_vma), without its newline. */
    static String header(Vma v) {
        Inode file = v.file();
        long offset = file == null ? 0 : v.pgoff() * MemSize.PAGE_SIZE;
        String perms = "" + (v.test(VmFlags.VM_READ) ? 'r' : '-') + (v.test(VmFlags.VM_WRITE) ? 'w' : '-')
                + (v.test(VmFlags.VM_EXEC) ? 'x' : '-') + (v.test(VmFlags.VM_MAYSHARE) ? 's' : 'p');
        String prefix = SmapsRollup.hex8(v.start()) + "-" + SmapsRollup.hex8(v.end()) + " " + perms + " "
                + SmapsRollup.hex8(offset) + " 00:00 " + (file == null ? 0 : file.ino()) + " ";
        if (file == null) {
            return prefix;
        }
        String name = file.name().startsWith("/") ? file.name() : "/" + file.name();
        if (file.unlinked() && !name.endsWith(" (deleted)")) {
            name += " (deleted)";
        }
        return Columns.padRight(prefix, SmapsRollup.HEADER_WIDTH) + " " + name;
    }

    /**
     * Checks that smaps_rollup is the sum of the VMAs' smaps: each counter, Pss ones in fixed
     * point. Throws {@link IllegalStateException} naming the counter and both values otherwise.
     */
    public void check() {
        if (!process.alive()) {
            return;
        }
        long[] sum = new long[SmapsRollup.FIELDS.size()];
        for (Vma v : process.mm().vmas()) {
            long[] one = walker.gather(List.of(v)).raw();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += one[i];
            }
        }
        long[] rollup = walker.gather(process.mm().vmas()).raw();
        for (int i = 0; i < sum.length; i++) {
            if (sum[i] != rollup[i]) {
                throw new IllegalStateException("smaps_rollup " + SmapsRollup.FIELDS.get(i) + " of pid " + process.pid()
                        + " is " + rollup[i] + " but its VMAs' smaps add up to " + sum[i]);
            }
        }
    }
}
