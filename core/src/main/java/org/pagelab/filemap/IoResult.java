package org.pagelab.filemap;

/**
 * Outcome of a file operation: {@link Done} with a byte count, or {@link Failed} with an
 * {@link Errno}. A short count is not a failure (a read at end of file returns what exists).
 */
public sealed interface IoResult permits IoResult.Done, IoResult.Failed {

    /** The operation moved {@code bytes} bytes (0 for operations that move none). */
    record Done(long bytes) implements IoResult {
    }

    /** The operation failed with {@code errno}, after moving {@code bytesBefore} bytes. */
    record Failed(Errno errno, long bytesBefore) implements IoResult {
    }

    /** A success of {@code n} bytes. */
    static IoResult done(long n) {
        return new Done(n);
    }

    /** A failure with nothing moved. */
    static IoResult failed(Errno e) {
        return new Failed(e, 0);
    }

    /** Bytes moved, whether or not the operation failed afterwards. */
    default long bytes() {
        return switch (this) {
            case Done d -> d.bytes();
            case Failed f -> f.bytesBefore();
        };
    }

    /** Whether the operation succeeded. */
    default boolean ok() {
        return this instanceof Done;
    }

    /** The bytes moved; throws {@link IllegalStateException} naming the errno on failure. */
    default long orThrow() {
        return switch (this) {
            case Done d -> d.bytes();
            case Failed f -> throw new IllegalStateException("file operation failed: " + f.errno());
        };
    }
}
