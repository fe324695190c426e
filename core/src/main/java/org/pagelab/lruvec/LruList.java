package org.pagelab.lruvec;

import java.util.Locale;

/**
 * One of the five LRU lists of an {@link LruVec}, the kernel's {@code enum lru_list}, in the
 * kernel's order. Each constant's {@link #kernelName()} is the name of the counter that reports
 * the list's size in /proc/vmstat and /proc/zoneinfo ({@code nr_inactive_anon} ...).
 */
public enum LruList {
    INACTIVE_ANON(false, false),
    ACTIVE_ANON(false, true),
    INACTIVE_FILE(true, false),
    ACTIVE_FILE(true, true),
    UNEVICTABLE(false, false);

    private final boolean file;
    private final boolean active;
    private final String kernelName;

    LruList(boolean file, boolean active) {
        this.file = file;
        this.active = active;
        this.kernelName = "nr_" + name().toLowerCase(Locale.ROOT);
    }

    /** Whether this is one of the two file lists (the kernel's is_file_lru). */
    public boolean isFile() {
        return file;
    }

    /** Whether this is one of the two active lists (the kernel's is_active_lru). */
    public boolean isActive() {
        return active;
    }

    /** Whether folios on this list are candidates for reclaim (every list but the unevictable one). */
    public boolean isEvictable() {
        return this != UNEVICTABLE;
    }

    /** The counter name: {@code nr_inactive_anon}, ..., {@code nr_unevictable}. */
    public String kernelName() {
        return kernelName;
    }

    /** The inactive list of the anon ({@code file == false}) or file LRU. */
    public static LruList inactive(boolean file) {
        return file ? INACTIVE_FILE : INACTIVE_ANON;
    }

    /** The active list of the anon ({@code file == false}) or file LRU. */
    public static LruList active(boolean file) {
        return file ? ACTIVE_FILE : ACTIVE_ANON;
    }

    /** The list of the given kind, the inverse of {@link #isFile()} and {@link #isActive()}. */
    public static LruList of(boolean file, boolean active) {
        return active ? active(file) : inactive(file);
    }
}
