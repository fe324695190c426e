package org.pagelab.trace;

/** A consumer of accesses in primitive form, for replay loops that must not allocate. */
@FunctionalInterface
public interface AccessSink {

    /** Takes one access; the arguments mean what the components of {@link Access} mean. */
    void accept(Access.Kind kind, long key, boolean write, int pid);
}
