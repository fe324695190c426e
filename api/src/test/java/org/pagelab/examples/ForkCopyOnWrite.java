package org.pagelab.examples;

import java.nio.charset.StandardCharsets;
import org.pagelab.api.Lab;
import org.pagelab.api.Proc;

/**
 * Fork and copy-on-write, checked byte for byte: after the fork each side writes its half, and
 * each sees its own bytes and the other's old ones.
 */
public final class ForkCopyOnWrite {
    public static void main(String[] args) {
        try (Lab lab = Lab.builder().memory("64M").thp(org.pagelab.api.Thp.NEVER).boot()) {
            Proc parent = lab.spawn("parent");
            long a = parent.mmapAnon(2 * 4096);
            parent.write(a, bytes("parent page 0"));
            parent.write(a + 4096, bytes("parent page 1"));

            Proc child = parent.fork();
            long faultsBefore = lab.vmstat("pgfault");
            child.write(a, bytes("child  page 0"));      // a COW fault: the child gets its own copy
            parent.write(a + 4096, bytes("PARENT PAGE 1")); // and the parent too, for page 1

            check(parent.read(a, 13), "parent page 0");
            check(parent.read(a + 4096, 13), "PARENT PAGE 1");
            check(child.read(a, 13), "child  page 0");
            check(child.read(a + 4096, 13), "parent page 1");
            System.out.println("COW faults: " + (lab.vmstat("pgfault") - faultsBefore));
            System.out.println("AnonPages " + lab.meminfo("AnonPages") + " kB");

            child.exit();
            parent.write(a, bytes("parent again!"));      // the last mapper reuses its page
            check(parent.read(a, 13), "parent again!");
            System.out.println("pgreuse " + lab.vmstat("pgreuse"));
            lab.check();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void check(byte[] got, String want) {
        String s = new String(got, StandardCharsets.US_ASCII);
        if (!s.equals(want)) {
            throw new AssertionError("read '" + s + "', expected '" + want + "'");
        }
    }
}
