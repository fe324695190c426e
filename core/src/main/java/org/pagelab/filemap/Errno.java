package org.pagelab.filemap;

/** The error numbers file operations return, with the kernel's names. */
public enum Errno {
    /** No such file. */
    ENOENT,
    /** An I/O error: the backing store failed, or written data was lost. */
    EIO,
    /** Bad file handle: already closed. */
    EBADF,
    /** Out of memory: no page or index node could be allocated. */
    ENOMEM,
    /** The file exists. */
    EEXIST,
    /** A component of a host path is a symbolic link, which pagelab never follows (openat2's RESOLVE_NO_SYMLINKS). */
    ELOOP,
    /** A component of a path is not a directory. */
    ENOTDIR,
    /** An argument is out of range. */
    EINVAL,
    /** File too large for the store. */
    EFBIG,
    /** Permission denied: the mapping's file does not allow the protection asked for. */
    EACCES,
    /** Bad address: no mapping there, or one that does not allow the access (get_user_pages). */
    EFAULT,
    /** Try again: a resource is busy for now (MADV_COLLAPSE met a page held or off the LRU). */
    EAGAIN,
    /** Device or resource busy (MADV_COLLAPSE: the memory cgroup refused the charge). */
    EBUSY
}
