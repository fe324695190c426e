package org.pagelab.swap;

/** Why swapon or swapoff refused, with the errno the kernel returns. */
public enum SwapErrno {
    /** The swap_info table is full (swapon: -EPERM from alloc_swap_info). */
    EPERM,
    /** The name is already a swap area (swapon), or slots are still in use (swapoff). */
    EBUSY,
    /** A bad argument: unknown type, a priority out of range, an area too small or too large. */
    EINVAL
}
