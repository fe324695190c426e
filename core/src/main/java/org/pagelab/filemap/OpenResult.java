package org.pagelab.filemap;

/** Outcome of opening or creating a file: {@link Opened} or {@link OpenFailed}. */
public sealed interface OpenResult permits OpenResult.Opened, OpenResult.OpenFailed {

    /** The file was opened. */
    record Opened(OpenFile file) implements OpenResult {
    }

    /**
     * The open failed with {@code errno}; {@code reason}, when not null, says why in words (a
     * host file refused: "'d' is a symbolic link; ...").
     */
    record OpenFailed(Errno errno, String reason) implements OpenResult {
        /** A failure that {@code errno} says all about. */
        public OpenFailed(Errno errno) {
            this(errno, null);
        }

        /** "EEXIST" or "ELOOP: 'd' is a symbolic link; ...". */
        public String describe() {
            return reason == null ? errno.toString() : errno + ": " + reason;
        }
    }

    /** The open file; throws {@link IllegalStateException} naming the errno on failure. */
    default OpenFile orThrow() {
        return switch (this) {
            case Opened o -> o.file();
            case OpenFailed f -> throw new IllegalStateException("open failed: " + f.describe());
        };
    }
}
