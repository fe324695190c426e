package org.pagelab.psi;

/**
 * A resource PSI reports on: the file under /proc/pressure/ and the cgroup file
 * {@code <name>.pressure}. CPU pressure is not modelled (see the package documentation).
 */
public enum PsiResource {
    /** Tasks waiting for device requests: the kernel's PSI_IO. */
    IO("io"),
    /** Tasks in reclaim, throttling or refault reads: the kernel's PSI_MEM. */
    MEMORY("memory");

    private final String fileName;

    PsiResource(String fileName) {
        this.fileName = fileName;
    }

    /** The name under /proc/pressure/: "io", "memory". */
    public String fileName() {
        return fileName;
    }

    /** The index of this resource's "some" state in a group's state arrays; "full" is the next one. */
    int someState() {
        return ordinal() * 2;
    }
}
