package org.pagelab.examples;

import org.pagelab.api.Lab;
import org.pagelab.api.Proc;

/** Boots a 64M machine, maps and writes 8 MiB, and reads /proc/meminfo as text and as values. */
public final class BootAndMeminfo {
    public static void main(String[] args) {
        try (Lab lab = Lab.builder().memory("64M").boot()) {
            long freeAtBoot = lab.meminfo("MemFree");

            Proc p = lab.spawn("app");
            long addr = p.mmapAnon(8 << 20);
            p.touch(addr, 8 << 20, true);                  // write every page once

            long used = freeAtBoot - lab.meminfo("MemFree");
            System.out.println("MemTotal " + lab.meminfo("MemTotal") + " kB");
            System.out.println("AnonPages " + lab.meminfo("AnonPages") + " kB");
            System.out.println("MemFree fell by " + used + " kB");
            if (lab.meminfo("AnonPages") != 8192) {
                throw new AssertionError("8 MiB written should be 8192 kB of AnonPages");
            }
            System.out.print(lab.read("/proc/meminfo").lines().limit(3)
                    .map(l -> l + "\n").reduce("", String::concat));
            lab.check();                                   // every invariant checker
        }
    }
}
