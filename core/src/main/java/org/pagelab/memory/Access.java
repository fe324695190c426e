package org.pagelab.memory;

/** Outcome of a memory access by a process. */
public enum Access {
    /** The access completed, faulting pages in as needed. */
    OK,
    /** The address is outside every VMA or against its protection: SIGSEGV killed the process. */
    SEGV,
    /** The page lies beyond the end of the mapped file: SIGBUS killed the process. */
    SIGBUS,
    /** No memory could be had for the fault: the process was killed as out of memory. */
    OOM,
    /** The process is no longer running. */
    DEAD
}
