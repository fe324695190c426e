package org.pagelab.phys;

/** The per-zone watermarks, in the kernel's order. */
public enum Watermark {
    /** Below it only direct reclaim (and emergency users) may allocate. */
    MIN,
    /** Below it kswapd is woken. */
    LOW,
    /** kswapd reclaims until free memory is above it. */
    HIGH
}
