package org.pagelab.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.pagelab.filemap.OpenFile;
import org.pagelab.machine.MachineTest;
import org.pagelab.memory.Access;
import org.pagelab.memory.Process;
import org.pagelab.stat.VmItem;
import org.pagelab.swap.SwaponResult;
import org.pagelab.vma.VmFlags;

/**
 * How reclaim balances its scan between the lists (prepare_scan_count, get_scan_count,
 * shrink_list in mm/vmscan.c), through {@link ScanControl}: cache-trim mode, which spares anon
 * while there is plenty of inactive page cache that is not refaulting, and the deactivation gate,
 * which ages an active list only when its inactive list is low or its kind is refaulting.
 */
class ScanBalanceTest extends MachineTest {
    private static final int MB = 1 << 20;
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;

    /** Swap, and a process with {@code anonMb} of written anonymous memory. */
    private Process anonWriter(int anonMb) {
        assertThat(machine.swap().swapon("swapfile", (64L * MB) / 4096, null)).isInstanceOf(SwaponResult.Ok.class);
        Process p = mm.spawn("anon");
        long a = mm.mmapAnon(p, 0, (long) anonMb * MB, RW, false).orThrow();
        for (long off = 0; off < (long) anonMb * MB; off += 4096) {
            assertThat(mm.touch(p, a + off, true)).isEqualTo(Access.OK);
        }
        return p;
    }

    /** Reads host file {@code name} of {@code mb} MiB once from start to end, kswapd running when woken. */
    private void stream(String name, int mb) throws IOException {
        OpenFile f = machine.vfs().open(name).orThrow();
        byte[] buf = new byte[MB];
        for (int off = 0; off < mb * MB; off += MB) {
            machine.vfs().pread(f, off, buf, 0, MB).orThrow();
            if (machine.vmscan().kswapdWoken()) {
                machine.runKswapd();
            }
        }
        machine.vfs().close(f);
    }

    @Test
    void streamingPageCacheIsTrimmedWithoutTouchingAnonWhileItDoesNotRefault() throws IOException {
        anonWriter(4);
        Files.write(dir.resolve("stream"), random(1, 48 * MB));
        stream("stream", 48);
        assertThat(vm(VmItem.PGSTEAL_FILE)).as("the stream was reclaimed").isGreaterThan(4000);
        assertThat(vm(VmItem.PGSCAN_ANON)).as("cache_trim_mode: file only").isZero();
        assertThat(vm(VmItem.PSWPOUT)).isZero();
    }

    @Test
    void aSecondPassOverAFileLargerThanMemoryRefaultsAndLetsReclaimScanAnonToo() throws IOException {
        anonWriter(16); // anon counts in the working set a file refault is measured against (swap is on)
        Files.write(dir.resolve("stream"), random(2, 24 * MB));
        stream("stream", 24);
        long anonScannedFirst = vm(VmItem.PGSCAN_ANON);
        stream("stream", 24);
        assertThat(vm(VmItem.WORKINGSET_REFAULT_FILE)).as("the second pass refaults").isPositive();
        assertThat(anonScannedFirst).isZero();
        assertThat(vm(VmItem.WORKINGSET_ACTIVATE_FILE)).as("refaults within the working set activate").isPositive();
        // activations on refault end cache-trim mode: the scan is balanced by cost again
        assertThat(vm(VmItem.PGSCAN_ANON)).isPositive();
    }

    @Test
    void anActiveFileListIsNotAgedWhileItsInactiveListIsLargeAndNothingRefaults() throws IOException {
        Files.write(dir.resolve("hot"), random(3, 2 * MB));
        OpenFile hot = machine.vfs().open("hot").orThrow();
        byte[] buf = new byte[MB];
        for (int pass = 0; pass < 2; pass++) {
            for (int off = 0; off < 2 * MB; off += MB) {
                machine.vfs().pread(hot, off, buf, 0, MB).orThrow(); // read twice: activated
            }
        }
        machine.vfs().close(hot);
        long active = vm(VmItem.NR_ACTIVE_FILE);
        assertThat(active).isGreaterThanOrEqualTo(512);
        Files.write(dir.resolve("stream"), random(4, 48 * MB));
        stream("stream", 48);
        assertThat(vm(VmItem.PGSTEAL_FILE)).isGreaterThan(4000);
        assertThat(vm(VmItem.PGREFILL)).as("the active list's share of the scan was skipped").isZero();
        assertThat(vm(VmItem.NR_ACTIVE_FILE)).as("the hot file stayed active").isEqualTo(active);
    }
}
