package org.pagelab.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.filemap.OpenFile;
import org.pagelab.filemap.Vfs;
import org.pagelab.machine.Machine;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.PhysConfig;
import org.pagelab.stat.VmItem;
import org.pagelab.testing.SeedSource;
import org.pagelab.vma.VmFlags;

/** File mappings, each test named for the property it protects. */
class FileMappingTest {
    private static final int RW = VmFlags.VM_READ | VmFlags.VM_WRITE;
    private static final int PAGES = 64;

    @TempDir
    Path dir;
    private Machine machine;
    private MemoryManager mm;
    private Vfs vfs;
    private byte[] content;

    @BeforeEach
    void boot() throws IOException {
        content = new byte[PAGES * 4096];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i / 4096 + i * 7);
        }
        Files.write(dir.resolve("data"), content);
        machine = Machine.boot(PhysConfig.of(MemSize.parse("32M"), true), dir);
        mm = machine.memory();
        vfs = machine.vfs();
    }

    @AfterEach
    void checkAndClose() {
        machine.check();
        machine.close();
    }

    private byte read(Process p, long a) {
        byte[] b = new byte[1];
        assertThat(mm.read(p, a, b, 0, 1)).isEqualTo(Access.OK);
        return b[0];
    }

    private long map(Process p, OpenFile f, boolean shared) {
        return mm.mmapFile(p, 0, PAGES * 4096L, RW, shared, false, f, 0).orThrow();
    }

    @Test
    void aReadFaultReadsTheFileOnceAndMapsTheCachedPagesAround() {
        OpenFile f = vfs.open("data").orThrow();
        Process p = mm.spawn("reader");
        long a = map(p, f, false);
        assertThat(read(p, a + 20 * 4096 + 5)).isEqualTo(content[20 * 4096 + 5]);
        assertThat(machine.vmstat().get(VmItem.PGMAJFAULT)).isEqualTo(1);
        assertThat(p.rssFile()).isEqualTo(MemoryManager.FAULT_AROUND_PAGES);
        long faults = machine.vmstat().get(VmItem.PGFAULT);
        for (int i = 16; i < 32; i++) {
            assertThat(read(p, a + i * 4096L)).isEqualTo(content[i * 4096]);
        }
        assertThat(machine.vmstat().get(VmItem.PGFAULT)).isEqualTo(faults);
        assertThat(machine.vmstat().get(VmItem.NR_MAPPED)).isEqualTo(16);
        vfs.close(f);
    }

    @Test
    void aPrivateFileMappingNeverWritesToTheFile() throws IOException {
        OpenFile f = vfs.open("data").orThrow();
        Process p = mm.spawn("writer");
        Process q = mm.spawn("reader");
        long a = map(p, f, false);
        long b = map(q, f, false);
        read(q, b);
        mm.write(p, a, new byte[] {42}, 0, 1);
        assertThat(read(p, a)).isEqualTo((byte) 42);
        assertThat(read(q, b)).isEqualTo(content[0]);
        assertThat(machine.vmstat().get(VmItem.NR_DIRTY)).isZero();
        mm.exit(p);
        vfs.fsync(f).orThrow();
        assertThat(Files.readAllBytes(dir.resolve("data"))).isEqualTo(content);
        vfs.close(f);
    }

    @Test
    void aSharedWriteIsSeenByOtherMappersAndReachesTheFile() throws IOException {
        OpenFile f = vfs.open("data").orThrow();
        Process p = mm.spawn("writer");
        Process q = mm.spawn("reader");
        long a = map(p, f, true);
        long b = map(q, f, true);
        mm.write(p, a + 4096 * 3, new byte[] {9, 9}, 0, 2);
        assertThat(read(q, b + 4096 * 3 + 1)).isEqualTo((byte) 9);
        assertThat(machine.vmstat().get(VmItem.NR_DIRTY)).isEqualTo(1);
        mm.munmap(p, a, PAGES * 4096L).orThrow();
        vfs.fsync(f).orThrow();
        byte[] expect = content.clone();
        expect[4096 * 3] = 9;
        expect[4096 * 3 + 1] = 9;
        assertThat(Files.readAllBytes(dir.resolve("data"))).isEqualTo(expect);
        vfs.close(f);
    }

    @Test
    void aSharedWriteAfterWritebackIsWrittenBackToo() throws IOException {
        OpenFile f = vfs.open("data").orThrow();
        Process p = mm.spawn("writer");
        long a = map(p, f, true);
        mm.write(p, a, new byte[] {1}, 0, 1);
        vfs.fsync(f).orThrow();
        mm.write(p, a + 1, new byte[] {2}, 0, 1);
        assertThat(machine.vmstat().get(VmItem.NR_DIRTY)).isEqualTo(1);
        vfs.fsync(f).orThrow();
        byte[] host = Files.readAllBytes(dir.resolve("data"));
        assertThat(host[0]).isEqualTo((byte) 1);
        assertThat(host[1]).isEqualTo((byte) 2);
        vfs.close(f);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "seed {0}")
    @SeedSource({5, 6, 20261126})
    void sharedAndPrivateViewsMatchAReferenceAndTheFileGetsEverySharedWrite(long seed) throws IOException {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        OpenFile f = vfs.open("data").orThrow();
        byte[] file = content.clone();
        java.util.List<Process> procs = new java.util.ArrayList<>();
        java.util.List<java.util.Map<Integer, byte[]>> priv = new java.util.ArrayList<>();
        long shared = 0x20000000L;
        long privateBase = 0x30000000L;
        Process first = mm.spawn("p0");
        mm.mmapFile(first, shared, PAGES * 4096L, RW, true, true, f, 0).orThrow();
        mm.mmapFile(first, privateBase, PAGES * 4096L, RW, false, true, f, 0).orThrow();
        procs.add(first);
        priv.add(new java.util.HashMap<>());
        for (int step = 0; step < 1500; step++) {
            int who = rnd.nextInt(procs.size());
            Process p = procs.get(who);
            java.util.Map<Integer, byte[]> mine = priv.get(who);
            int page = rnd.nextInt(PAGES);
            int off = rnd.nextInt(4096);
            String where = "seed " + seed + " step " + step + " pid " + p.pid();
            int op = rnd.nextInt(100);
            if (op < 25) {
                byte v = (byte) rnd.nextInt(256);
                assertThat(mm.write(p, shared + page * 4096L + off, new byte[] {v}, 0, 1)).as(where).isEqualTo(Access.OK);
                file[page * 4096 + off] = v;
            } else if (op < 45) {
                byte v = (byte) rnd.nextInt(256);
                assertThat(mm.write(p, privateBase + page * 4096L + off, new byte[] {v}, 0, 1)).as(where).isEqualTo(Access.OK);
                byte[] copy = mine.computeIfAbsent(page, k -> java.util.Arrays.copyOfRange(file, k * 4096, k * 4096 + 4096));
                copy[off] = v;
            } else if (op < 65) {
                byte[] b = new byte[1];
                assertThat(mm.read(p, shared + page * 4096L + off, b, 0, 1)).as(where).isEqualTo(Access.OK);
                assertThat(b[0]).as(where + " shared byte").isEqualTo(file[page * 4096 + off]);
            } else if (op < 85) {
                byte[] b = new byte[1];
                assertThat(mm.read(p, privateBase + page * 4096L + off, b, 0, 1)).as(where).isEqualTo(Access.OK);
                byte[] copy = mine.get(page);
                byte want = copy != null ? copy[off] : file[page * 4096 + off];
                assertThat(b[0]).as(where + " private byte").isEqualTo(want);
            } else if (op < 90) {
                vfs.fsync(f).orThrow();
                assertThat(Files.readAllBytes(dir.resolve("data"))).as(where + " host file").isEqualTo(file);
            } else if (op < 95 && procs.size() < 4) {
                Process c = mm.fork(p);
                java.util.Map<Integer, byte[]> copy = new java.util.HashMap<>();
                mine.forEach((k, v) -> copy.put(k, v.clone()));
                procs.add(c);
                priv.add(copy);
            } else if (op >= 95 && procs.size() > 1) {
                mm.exit(p);
                procs.remove(who);
                priv.remove(who);
            }
            try {
                machine.check();
            } catch (IllegalStateException e) {
                throw new AssertionError(where + ": " + e.getMessage(), e);
            }
        }
        procs.forEach(mm::exit);
        vfs.fsync(f).orThrow();
        assertThat(Files.readAllBytes(dir.resolve("data"))).as("seed %d host file at the end", seed).isEqualTo(file);
        vfs.close(f);
    }

    @Test
    void anAccessBeyondTheEndOfTheFileRaisesSigbus() {
        OpenFile f = vfs.open("data").orThrow();
        Process p = mm.spawn("p");
        long a = mm.mmapFile(p, 0, (PAGES + 4) * 4096L, RW, true, false, f, 0).orThrow();
        assertThat(mm.touch(p, a + (PAGES + 1) * 4096L, false)).isEqualTo(Access.SIGBUS);
        assertThat(p.signal()).isEqualTo("SIGBUS");
        vfs.close(f);
    }

    @Test
    void truncationUnmapsThePagesItRemoves() {
        OpenFile f = vfs.open("data").orThrow();
        Process p = mm.spawn("p");
        long a = map(p, f, true);
        for (int i = 0; i < PAGES; i++) {
            read(p, a + i * 4096L);
        }
        assertThat(p.rssFile()).isEqualTo(PAGES);
        vfs.truncate(f, 10 * 4096).orThrow();
        assertThat(p.rssFile()).isEqualTo(10);
        machine.check();
        assertThat(mm.touch(p, a + 20 * 4096L, false)).isEqualTo(Access.SIGBUS);
        vfs.close(f);
    }

    @Test
    void anUnlinkedFileLivesWhileMapped() throws IOException {
        OpenFile f = vfs.open("data").orThrow();
        Process p = mm.spawn("p");
        long a = map(p, f, true);
        vfs.close(f).orThrow();
        vfs.unlink("data").orThrow();
        assertThat(read(p, a + 5 * 4096)).isEqualTo(content[5 * 4096]);
        assertThat(Files.exists(dir.resolve("data"))).isTrue();
        mm.exit(p);
        assertThat(Files.exists(dir.resolve("data"))).isFalse();
        assertThat(machine.vmstat().get(VmItem.NR_FILE_PAGES)).isZero();
    }

    @Test
    void aForkedChildSharesASharedFileMapping() {
        OpenFile f = vfs.open("data").orThrow();
        Process p = mm.spawn("p");
        long a = map(p, f, true);
        read(p, a);
        Process c = mm.fork(p);
        mm.write(c, a, new byte[] {77}, 0, 1);
        assertThat(read(p, a)).isEqualTo((byte) 77);
        vfs.close(f);
    }
}
