package org.pagelab.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.pagelab.filemap.OpenFile;
import org.pagelab.machine.MachineTest;
import org.pagelab.memory.Access;
import org.pagelab.memory.Process;
import org.pagelab.phys.Watermark;
import org.pagelab.phys.Zone;
import org.pagelab.stat.VmItem;
import org.pagelab.testing.Seeds;
import org.pagelab.vma.VmFlags;

/**
 * Reclaim on a machine without swap: page-cache folios are reclaimed under pressure (unmapped,
 * written first when dirty, dropped with a shadow entry) and nothing written is lost; kswapd
 * restores the high watermark; when nothing can be reclaimed the OOM killer takes the biggest
 * process and the machine goes on. Each test is named for the property it protects.
 */
class VmscanTest extends MachineTest {
    private static final int MB = 1 << 20;




    private byte[] hostFile(String name, int bytes, long seed) throws IOException {
        byte[] content = new byte[bytes];
        new SplittableRandom(Seeds.derive(seed)).nextBytes(content);
        Files.write(dir.resolve(name), content);
        return content;
    }

    @Test
    void aFileBiggerThanMemoryReadsBackIntactAsCleanPagesAreReclaimed() throws IOException {
        byte[] content = hostFile("big", 48 * MB, 1);
        OpenFile f = machine.vfs().open("big").orThrow();
        for (int pass = 0; pass < 2; pass++) {
            byte[] back = new byte[content.length];
            for (int off = 0; off < back.length; off += MB) {
                assertThat(machine.vfs().pread(f, off, back, off, MB).orThrow()).isEqualTo(MB);
                machine.runKswapd();
            }
            assertThat(Arrays.equals(back, content)).as("pass %d reads the file's bytes", pass).isTrue();
            machine.check();
        }
        assertThat(vm(VmItem.PGSTEAL_FILE)).isGreaterThan(24 * MB / 4096);
        assertThat(vm(VmItem.PGSCAN_FILE)).isGreaterThanOrEqualTo(vm(VmItem.PGSTEAL_FILE));
        assertThat(vm(VmItem.PGSTEAL_FILE)).isEqualTo(vm(VmItem.PGSTEAL_DIRECT) + vm(VmItem.PGSTEAL_KSWAPD));
        assertThat(vm(VmItem.PGSTEAL_ANON)).isZero();
        machine.vfs().close(f);
    }

    @Test
    void dirtyFilePagesAreWrittenToTheFileBeforeTheyAreDropped() throws IOException {
        OpenFile f = machine.vfs().create("out", 0).orThrow();
        byte[] content = new byte[48 * MB];
        new SplittableRandom(Seeds.derive(2)).nextBytes(content);
        for (int off = 0; off < content.length; off += MB) {
            assertThat(machine.vfs().write(f, content, off, MB).orThrow()).isEqualTo(MB);
        }
        // no fsync yet: every page reclaim dropped must already be in the host file
        assertThat(vm(VmItem.NR_WRITTEN)).isPositive();
        byte[] onDisk = Files.readAllBytes(dir.resolve("out"));
        long evicted = 0;
        for (int page = 0; page < content.length / 4096; page++) {
            if (f.inode().mapping().lookup(page) == null) {
                evicted++;
                assertThat(Arrays.equals(onDisk, page * 4096, page * 4096 + 4096, content, page * 4096, page * 4096 + 4096))
                        .as("evicted page %d is on disk", page).isTrue();
            }
        }
        assertThat(evicted).isGreaterThan(16 * MB / 4096);
        machine.vfs().fsync(f).orThrow();
        assertThat(Files.readAllBytes(dir.resolve("out"))).isEqualTo(content);
        machine.vfs().close(f);
    }

    @Test
    void mappedFilePagesAreUnmappedForReclaimAndFaultBackWithTheirBytes() throws IOException {
        byte[] content = hostFile("map", 40 * MB, 3);
        OpenFile f = machine.vfs().open("map").orThrow();
        Process p = mm.spawn("mapper");
        long a = mm.mmapFile(p, 0, content.length, VmFlags.VM_READ | VmFlags.VM_WRITE, true, false, f, 0).orThrow();
        byte[] b = new byte[1];
        for (int pass = 0; pass < 2; pass++) {
            for (int page = 0; page < content.length / 4096; page += 1) {
                assertThat(mm.read(p, a + page * 4096L + 17, b, 0, 1)).isEqualTo(Access.OK);
                assertThat(b[0]).isEqualTo(content[page * 4096 + 17]);
                if (pass == 1 && page % 64 == 0) {
                    byte v = (byte) (page * 31);
                    assertThat(mm.write(p, a + page * 4096L, new byte[] {v}, 0, 1)).isEqualTo(Access.OK);
                    content[page * 4096] = v;
                }
            }
            machine.check();
        }
        assertThat(p.rssFile()).isLessThan(content.length / 4096);
        assertThat(vm(VmItem.PGSTEAL_FILE)).isPositive();
        mm.exit(p);
        machine.vfs().fsync(f).orThrow();
        assertThat(Files.readAllBytes(dir.resolve("map"))).isEqualTo(content);
        machine.vfs().close(f);
    }

    @Test
    void kswapdWokenBelowLowReclaimsUntilEveryZoneIsAboveHigh() throws IOException {
        hostFile("fill", 40 * MB, 4);
        OpenFile f = machine.vfs().open("fill").orThrow();
        byte[] buf = new byte[MB];
        int off = 0;
        while (!machine.vmscan().kswapdWoken()) {
            machine.vfs().pread(f, off, buf, 0, MB).orThrow();
            off += MB;
        }
        long got = machine.runKswapd();
        assertThat(got).isPositive();
        assertThat(vm(VmItem.PAGEOUTRUN)).isEqualTo(1);
        assertThat(vm(VmItem.PGSTEAL_KSWAPD)).isEqualTo(got);
        for (Zone z : machine.phys().zones()) {
            if (z.managedPages() > 0) {
                assertThat(z.watermarkOk(0, z.watermark(Watermark.HIGH), z.type())).as("%s above high", z).isTrue();
            }
        }
        machine.vfs().close(f);
    }

    @Test
    void aPageReadTwiceBySystemCallsIsActivated() throws IOException {
        hostFile("small", 64 * 1024, 5);
        OpenFile f = machine.vfs().open("small").orThrow();
        byte[] buf = new byte[4096];
        machine.vfs().pread(f, 0, buf, 0, 4096).orThrow();
        assertThat(vm(VmItem.NR_ACTIVE_FILE)).isZero();
        machine.vfs().pread(f, 0, buf, 0, 4096).orThrow();
        assertThat(vm(VmItem.PGACTIVATE)).isEqualTo(1);
        assertThat(vm(VmItem.NR_ACTIVE_FILE)).isEqualTo(1);
        machine.vfs().close(f);
    }

    @Test
    void withoutSwapTheOomKillerTakesTheBiggestProcessAndTheOthersRunOn() {
        // the hog maps all of RAM at once, which overcommit_memory 0 would refuse without swap
        machine.overcommit().setMode(org.pagelab.vma.Overcommit.Mode.ALWAYS);
        Process small = mm.spawn("small");
        long s = mm.mmapAnon(small, 0, 2 * MB, VmFlags.VM_READ | VmFlags.VM_WRITE, false).orThrow();
        byte[] mine = new byte[2 * MB];
        new SplittableRandom(Seeds.derive(6)).nextBytes(mine);
        assertThat(mm.write(small, s, mine, 0, mine.length)).isEqualTo(Access.OK);
        Process hog = mm.spawn("hog");
        long h = mm.mmapAnon(hog, 0, 64 * MB, VmFlags.VM_READ | VmFlags.VM_WRITE, false).orThrow();
        Access last = Access.OK;
        for (long off = 0; off < 64 * MB && last == Access.OK; off += 4096) {
            last = mm.touch(hog, h + off, true);
        }
        assertThat(last).isEqualTo(Access.OOM);
        assertThat(hog.state()).isEqualTo(Process.State.KILLED);
        assertThat(vm(VmItem.OOM_KILL)).isEqualTo(1);
        assertThat(mm.events()).anyMatch(e -> e.startsWith("Out of memory: Killed process " + hog.pid() + " (hog)"));
        assertThat(small.alive()).isTrue();
        byte[] back = new byte[mine.length];
        assertThat(mm.read(small, s, back, 0, back.length)).isEqualTo(Access.OK);
        assertThat(back).isEqualTo(mine);
    }

    @Test
    void directReclaimForPageCacheIsCountedAsAMovableZoneStallAsGfpZoneNamesIt() throws IOException {
        hostFile("stall", 48 * MB, 2);
        OpenFile f = machine.vfs().open("stall").orThrow();
        byte[] buf = new byte[MB];
        for (int off = 0; off < 48 * MB; off += MB) {
            machine.vfs().pread(f, off, buf, 0, MB).orThrow(); // kswapd never runs: the reader reclaims
        }
        assertThat(vm(VmItem.PGSTEAL_DIRECT)).as("the reader reclaimed").isPositive();
        assertThat(vm(VmItem.ALLOCSTALL_MOVABLE)).as("stalls of GFP_HIGHUSER_MOVABLE allocations").isPositive();
        assertThat(vm(VmItem.ALLOCSTALL_NORMAL)).as("no kernel allocation stalled").isZero();
        assertThat(org.pagelab.phys.AllocRequest.anon(0).allocstallItem()).isEqualTo(VmItem.ALLOCSTALL_MOVABLE);
        assertThat(org.pagelab.phys.AllocRequest.slab(0).allocstallItem()).isEqualTo(VmItem.ALLOCSTALL_NORMAL);
    }
}
