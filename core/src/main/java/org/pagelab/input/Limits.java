package org.pagelab.input;

/**
 * The limits pagelab puts on its input, each one a refusal with exit status 2 that names the
 * limit; docs/scenarios.md lists them in its "Exit status" section.
 */
public final class Limits {
    /** Largest scenario file, in bytes; a larger one is refused before it is read. */
    public static final int MAX_SCENARIO_BYTES = 1 << 20;

    /**
     * Longest line of a scenario, in characters: SnakeYAML's reader copies its buffer as a line
     * grows, so a line of a megabyte costs as much as a file of many megabytes.
     */
    public static final int MAX_SCENARIO_LINE = 64 << 10;

    /** Deepest nesting of YAML collections in a scenario. */
    public static final int MAX_YAML_DEPTH = 50;

    /** Most aliases of YAML collections in a scenario ({@code *name} of an anchored list or mapping). */
    public static final int MAX_YAML_ALIASES = 50;

    /** Longest line of a text trace, in bytes, without its line terminator. */
    public static final int MAX_TRACE_LINE_BYTES = 64 << 10;

    /**
     * Most page touches one scenario step (a touch's count, the pages a read or write walks) or one
     * trace record (an ARC run of blocks) may stand for, so that no single count (2^63 - 1, say)
     * asks for a run that would never end. docs/scenarios.md gives the time it takes.
     */
    public static final long MAX_EVENTS = 1L << 30;

    /**
     * Longest file name a scenario may give (a path relative to the working directory), in bytes
     * of UTF-8; each component is at most {@link #MAX_NAME_COMPONENT_BYTES} (the kernel's NAME_MAX).
     */
    public static final int MAX_NAME_BYTES = 1024;

    /** Longest component of a file name, in bytes of UTF-8 (NAME_MAX). */
    public static final int MAX_NAME_COMPONENT_BYTES = 255;

    private Limits() {
    }
}
