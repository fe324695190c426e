package org.pagelab.workingset;

import java.util.Locale;

/**
 * The /proc/vmstat counters that workingset detection bumps, each counted in pages. They are
 * node state items in the kernel ({@code WORKINGSET_REFAULT_BASE} and friends in
 * {@code enum node_stat_item}) but only ever grow.
 */
public enum WorkingsetEvent {
    /** Anon folios brought back in over a shadow. */
    WORKINGSET_REFAULT_ANON,
    /** File folios brought back in over a shadow. */
    WORKINGSET_REFAULT_FILE,
    /** Refaulted anon folios whose distance put them straight on the active list. */
    WORKINGSET_ACTIVATE_ANON,
    /** Refaulted file folios whose distance put them straight on the active list. */
    WORKINGSET_ACTIVATE_FILE,
    /** Activated anon refaults that had been in the working set when evicted. */
    WORKINGSET_RESTORE_ANON,
    /** Activated file refaults that had been in the working set when evicted. */
    WORKINGSET_RESTORE_FILE;

    private final String kernelName = name().toLowerCase(Locale.ROOT);

    /** The counter's name in /proc/vmstat. */
    public String kernelName() {
        return kernelName;
    }

    /** {@code workingset_refault_file} or {@code _anon}. */
    public static WorkingsetEvent refault(boolean file) {
        return file ? WORKINGSET_REFAULT_FILE : WORKINGSET_REFAULT_ANON;
    }

    /** {@code workingset_activate_file} or {@code _anon}. */
    public static WorkingsetEvent activate(boolean file) {
        return file ? WORKINGSET_ACTIVATE_FILE : WORKINGSET_ACTIVATE_ANON;
    }

    /** {@code workingset_restore_file} or {@code _anon}. */
    public static WorkingsetEvent restore(boolean file) {
        return file ? WORKINGSET_RESTORE_FILE : WORKINGSET_RESTORE_ANON;
    }
}
