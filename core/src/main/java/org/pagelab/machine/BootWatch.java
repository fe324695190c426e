package org.pagelab.machine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Who wants to hear of the machines booted on this thread: a tool that checks every machine a
 * piece of code built (the tests' {@code MachineChecks} extension runs each one's checkers after
 * each test) watches the boots meanwhile. Watches nest; each is told of each machine booted while
 * it is open, once the machine is whole.
 */
public final class BootWatch implements AutoCloseable {
    private static final ThreadLocal<List<BootWatch>> OPEN = ThreadLocal.withInitial(ArrayList::new);

    private final Consumer<Machine> listener;

    private BootWatch(Consumer<Machine> listener) {
        this.listener = listener;
    }

    /** Tells {@code listener} of every machine booted on this thread until the watch is closed. */
    public static BootWatch open(Consumer<Machine> listener) {
        BootWatch w = new BootWatch(java.util.Objects.requireNonNull(listener));
        OPEN.get().add(w);
        return w;
    }

    /** Machine {@code m} has booted. */
    static void booted(Machine m) {
        for (BootWatch w : List.copyOf(OPEN.get())) {
            w.listener.accept(m);
        }
    }

    /** Stops the watch. */
    @Override
    public void close() {
        OPEN.get().remove(this);
    }
}
