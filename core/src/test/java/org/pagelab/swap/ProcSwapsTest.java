package org.pagelab.swap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcSwapsTest {

    @Test
    void emptyTableIsTheHeaderAlone() {
        assertThat(new ProcSwaps(new SwapDevices()).render())
                .isEqualTo("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
    }

    @Test
    void linesAreAsSwapShowPrintsThem() {
        SwapDevices swaps = new SwapDevices();
        // a 1 GiB swap file: 262144 pages, one of them the header
        swaps.swapon("/swapfile", new SyntheticSwap(262144));
        swaps.swapon("/var/tmp/big", 10, new SyntheticSwap(2_621_442));
        for (int i = 0; i < 3; i++) {
            swaps.allocSwapEntry();
        }
        String name40 = "/" + "x".repeat(39);
        swaps.swapon(name40, new SyntheticSwap(11));
        swaps.swapon("/swap file\\2", 0, new SyntheticSwap(2));
        assertThat(new ProcSwaps(swaps).render()).isEqualTo(
                "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
                + "/swapfile" + " ".repeat(31) + "file\t\t1048572\t\t0\t\t-2\n"
                + "/var/tmp/big" + " ".repeat(28) + "file\t\t10485764\t12\t\t10\n"
                + name40 + " " + "file\t\t40\t\t0\t\t-3\n"
                + "/swap\\040file\\1342" + " ".repeat(22) + "file\t\t4\t\t0\t\t0\n");
    }

    @Test
    void usedAtTenMillionKibDropsTheSecondTab() {
        SwapDevices swaps = new SwapDevices();
        SwapDevice d = ((SwaponResult.Ok) swaps.swapon("/s", new SyntheticSwap(2_500_001))).device();
        while (d.allocSlot() != SwapDevice.NO_SLOT) {
            // fill the device
        }
        assertThat(new ProcSwaps(swaps).render().lines().skip(1).findFirst().orElseThrow())
                .isEqualTo("/s" + " ".repeat(38) + "file\t\t10000000\t10000000\t-2");
    }
}
