package org.pagelab.swap;

import org.pagelab.desc.SwapEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.pagelab.phys.DataFrames;
import org.pagelab.phys.MemSize;
import org.pagelab.phys.NoFrames;
import org.pagelab.testing.Seeds;

@ExtendWith(Seeds.class)
class SwapFileTest {
    private static final int PAGE = MemSize.PAGE_SIZE;

    @TempDir
    Path dir;

    @Test
    void aPageWrittenToASlotReadsBackByteExactIntoAnotherFrame() throws Exception {
        SwapDevices swaps = new SwapDevices();
        SwapFile file = SwapFile.create(dir, "swapfile", 64);
        SwapDevice dev = ((SwaponResult.Ok) swaps.swapon(file.path().toString(), file)).device();
        try (DataFrames frames = new DataFrames(32)) {
            byte[] pattern = new byte[PAGE];
            new SplittableRandom(Seeds.derive(7)).nextBytes(pattern);
            frames.write(3L * PAGE, pattern, 0, PAGE);
            byte[] other = new byte[PAGE];
            Arrays.fill(other, (byte) 0x11);
            frames.write(4L * PAGE, other, 0, PAGE);

            SwapEntry e1 = swaps.allocSwapEntry();
            SwapEntry e2 = swaps.allocSwapEntry();
            assertThat(dev.writePage(e1.offset(), frames, 3)).isTrue();
            assertThat(dev.writePage(e2.offset(), frames, 4)).isTrue();
            frames.zero(3, 2);

            assertThat(dev.readPage(e1.offset(), frames, 9)).isTrue();
            assertThat(dev.readPage(e2.offset(), frames, 10)).isTrue();
            byte[] back = new byte[PAGE];
            frames.read(9L * PAGE, back, 0, PAGE);
            assertThat(back).isEqualTo(pattern);
            frames.read(10L * PAGE, back, 0, PAGE);
            assertThat(back).isEqualTo(other);
            assertThat(dev.pswpout()).isEqualTo(2);
            assertThat(dev.pswpin()).isEqualTo(2);

            byte[] onDisk = new byte[PAGE];
            ByteBuffer.wrap(Files.readAllBytes(file.path()), (int) (e1.offset() * PAGE), PAGE).get(onDisk);
            assertThat(onDisk).isEqualTo(pattern);

            swaps.cacheClear(e1);
            swaps.cacheClear(e2);
        }
        assertThat(swaps.swapoff(dev.type())).isEmpty();
        assertThat(file.path()).doesNotExist();
    }

    @Test
    void fileIsSparseSizedAndCarriesASwapHeader() throws Exception {
        SwapFile file = SwapFile.create(dir, "sw", 1000);
        byte[] bytes = Files.readAllBytes(file.path());
        assertThat(bytes).hasSize(1000 * PAGE);
        ByteBuffer h = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(h.getInt(1024)).as("version").isEqualTo(1);
        assertThat(h.getInt(1028)).as("last_page").isEqualTo(999);
        assertThat(h.getInt(1032)).as("nr_badpages").isZero();
        assertThat(new String(bytes, PAGE - 10, 10, StandardCharsets.US_ASCII)).isEqualTo("SWAPSPACE2");
        file.release();
        assertThat(file.path()).doesNotExist();
    }

    @Test
    void creationRefusesExistingFilesAndPathNames() throws Exception {
        SwapFile.create(dir, "taken", 4);
        assertThatThrownBy(() -> SwapFile.create(dir, "taken", 4)).isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> SwapFile.create(dir, "../escape", 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SwapFile.create(dir, "one", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void metadataModeMovesNoBytes() throws Exception {
        SwapDevices swaps = new SwapDevices();
        SwapFile file = SwapFile.create(dir, "meta", 8);
        SwapDevice dev = ((SwaponResult.Ok) swaps.swapon("meta", file)).device();
        long off = dev.allocSlot();
        NoFrames none = new NoFrames();
        assertThat(dev.writePage(off, none, 0)).isTrue();
        assertThat(dev.readPage(off, none, 0)).isTrue();
        assertThat(dev.pswpout()).isEqualTo(1);
        dev.cacheClear(off);
        assertThatThrownBy(() -> dev.writePage(off, none, 0)).as("slot is free").isInstanceOf(IllegalStateException.class);
        swaps.swapoff(dev.type());
    }

    @Test
    void syntheticSwapRefusesFrameData() {
        SwapDevices swaps = new SwapDevices();
        SwapDevice dev = ((SwaponResult.Ok) swaps.swapon("synthetic", new SyntheticSwap(8))).device();
        long off = dev.allocSlot();
        try (DataFrames frames = new DataFrames(4)) {
            assertThatThrownBy(() -> dev.writePage(off, frames, 0)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(dev.writePage(off, new NoFrames(), 0)).isTrue();
    }
}
