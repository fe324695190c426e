package org.pagelab.api;

/** A system call of a {@link Proc} or {@link Lab} failed with an errno and changed nothing. */
public final class SyscallFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The errno's name, such as {@code ENOMEM} or {@code EINVAL}. */
    private final String errno;

    /**
     * The call {@code call} ("mmap", "fsync of 'a'") failed with {@code errno}.
     *
     * @param call the call, such as "mmap"
     * @param errno the errno's name
     */
    public SyscallFailedException(String call, String errno) {
        super(call + " failed: " + errno);
        this.errno = errno;
    }

    /**
     * The errno's name, such as {@code ENOMEM} or {@code EINVAL}.
     *
     * @return the errno's name
     */
    public String errno() {
        return errno;
    }
}
