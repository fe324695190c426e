package org.pagelab.examples;

import org.pagelab.api.Lab;
import org.pagelab.api.Proc;

/** The API in one screen: a machine, a process, a fork, copy-on-write, /proc/meminfo. */
public final class HelloFork {
    public static void main(String[] args) {
        try (Lab lab = Lab.builder().memory("64M").boot()) {
            Proc parent = lab.spawn("parent");
            long a = parent.mmapAnon(4 * 4096);
            parent.write(a, "hello".getBytes());
            Proc child = parent.fork();
            child.write(a, "HELLO".getBytes());           // copy-on-write: the parent keeps "hello"
            System.out.println(new String(parent.read(a, 5)) + " " + new String(child.read(a, 5)));
            System.out.print(lab.read("/proc/meminfo").lines().filter(l -> l.startsWith("AnonPages"))
                    .findFirst().orElseThrow() + "\n");
            lab.check();                                  // every invariant checker
        }
    }
}
