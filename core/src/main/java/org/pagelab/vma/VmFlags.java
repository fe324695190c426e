package org.pagelab.vma;

/**
 * The VMA flag word, with the kernel's bit values (include/linux/mm.h): protections, what they may
 * become, sharing, and accounting.
 */
public final class VmFlags {
    public static final int VM_READ = 0x1;
    public static final int VM_WRITE = 0x2;
    public static final int VM_EXEC = 0x4;
    public static final int VM_SHARED = 0x8;
    public static final int VM_MAYREAD = 0x10;
    public static final int VM_MAYWRITE = 0x20;
    public static final int VM_MAYEXEC = 0x40;
    public static final int VM_MAYSHARE = 0x80;
    /** madvise(MADV_DONTFORK): fork leaves this range out of the child. */
    public static final int VM_DONTCOPY = 0x20000;
    /** Counted in Committed_AS (private writable memory). */
    public static final int VM_ACCOUNT = 0x100000;
    /** madvise(MADV_WIPEONFORK): the child gets this range empty (reading zeros), not a copy. */
    public static final int VM_WIPEONFORK = 0x2000000;
    /** madvise(MADV_HUGEPAGE): transparent huge pages wanted here (with transparent_hugepage=madvise too). */
    public static final int VM_HUGEPAGE = 0x20000000;
    /** madvise(MADV_NOHUGEPAGE): never transparent huge pages here. */
    public static final int VM_NOHUGEPAGE = 0x40000000;

    /** Bits that are protections. */
    public static final int PROT_MASK = VM_READ | VM_WRITE | VM_EXEC;

    private VmFlags() {
    }

    /** The protection bits for a PROT_* combination. */
    public static int fromProt(boolean read, boolean write, boolean exec) {
        return (read ? VM_READ : 0) | (write ? VM_WRITE : 0) | (exec ? VM_EXEC : 0);
    }

    /** Parses "rw", "r-x", "none", "rwx" style protections; throws naming the text otherwise. */
    public static int parseProt(String text) {
        if (text == null) {
            throw new IllegalArgumentException("protection is missing");
        }
        String t = text.trim();
        if (t.equals("none") || t.equals("---")) {
            return 0;
        }
        int flags = 0;
        for (char c : t.toCharArray()) {
            switch (c) {
                case 'r' -> flags |= VM_READ;
                case 'w' -> flags |= VM_WRITE;
                case 'x' -> flags |= VM_EXEC;
                case '-' -> {
                }
                default -> throw new IllegalArgumentException("invalid protection '" + text + "': expected letters r, w, x or 'none'");
            }
        }
        return flags;
    }

    /** The four-letter permission column of /proc/pid/maps: "rw-p". */
    public static String describe(int flags) {
        return "" + ((flags & VM_READ) != 0 ? 'r' : '-') + ((flags & VM_WRITE) != 0 ? 'w' : '-')
                + ((flags & VM_EXEC) != 0 ? 'x' : '-') + ((flags & VM_SHARED) != 0 ? 's' : 'p');
    }
}
