package org.pagelab.api;

import org.pagelab.vma.VmFlags;

/** The protection of a mapping (mmap's and mprotect's {@code prot}): the combinations a program uses. */
public enum Prot {
    /** PROT_NONE: any access is SIGSEGV. */
    NONE(0),
    /** PROT_READ. */
    READ(VmFlags.VM_READ),
    /** PROT_READ | PROT_WRITE. */
    READ_WRITE(VmFlags.VM_READ | VmFlags.VM_WRITE),
    /** PROT_READ | PROT_EXEC. */
    READ_EXEC(VmFlags.VM_READ | VmFlags.VM_EXEC);

    private final int vmFlags;

    Prot(int vmFlags) {
        this.vmFlags = vmFlags;
    }

    int vmFlags() {
        return vmFlags;
    }
}
