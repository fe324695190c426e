package org.pagelab.swap;

/** The outcome of {@link SwapDevices#swapon}: the new device, or why there is none. */
public sealed interface SwaponResult {

    /** The area is active as {@code device}. */
    record Ok(SwapDevice device) implements SwaponResult {
    }

    /** The area was refused; the backend stays the caller's. */
    record Failed(SwapErrno errno, String reason) implements SwaponResult {
    }
}
