package org.pagelab.filemap;

/** Outcome of opening or creating a file: {@link Opened} or {@link OpenFailed}. */
public sealed interface OpenResult permits OpenResult.Opened, OpenResult.OpenFailed {

    /** The file was opened. */
    record Opened(OpenFile file) implements OpenResult {
    }

    /** The open failed with {@code errno}. */
    record OpenFailed(Errno errno) implements OpenResult {
    }

    /** The open file; throws {@link IllegalStateException} naming the errno on failure. */
    default OpenFile orThrow() {
        return switch (this) {
            case Opened o -> o.file();
            case OpenFailed f -> throw new IllegalStateException("open failed: " + f.errno());
        };
    }
}
