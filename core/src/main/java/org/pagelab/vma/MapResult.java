package org.pagelab.vma;

import org.pagelab.filemap.Errno;

/** Outcome of mmap, munmap or mprotect: {@link Mapped} at an address, or {@link MapFailed}. */
public sealed interface MapResult permits MapResult.Mapped, MapResult.MapFailed {

    /** The call succeeded; for mmap, {@code addr} is where the mapping starts. */
    record Mapped(long addr) implements MapResult {
    }

    /** The call failed with {@code errno} and changed nothing. */
    record MapFailed(Errno errno) implements MapResult {
    }

    /** The address; throws {@link IllegalStateException} naming the errno on failure. */
    default long orThrow() {
        return switch (this) {
            case Mapped m -> m.addr();
            case MapFailed f -> throw new IllegalStateException("mapping call failed: " + f.errno());
        };
    }
}
