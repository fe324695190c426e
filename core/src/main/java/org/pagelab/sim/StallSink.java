package org.pagelab.sim;

/**
 * Receives every stall interval as it closes, in the order they close (PSI's input). Memory
 * stalls are reported once per outermost {@link Sim#beginStall}/{@link Sim#endStall} pair, I/O
 * waits once per wait.
 */
@FunctionalInterface
public interface StallSink {
    void stall(SimTask task, Stall stall);
}
