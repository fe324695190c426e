package org.pagelab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pagelab.machine.Machine;

/**
 * A run's working directory on the host, where data-mode files live: either one the user named,
 * which is created when missing and never deleted, or a fresh temporary one, deleted with its
 * contents on {@link #close()} unless asked to keep it.
 */
final class Workdir implements AutoCloseable {
    private final Path path;
    private final boolean temporary;
    private final boolean keep;

    private Workdir(Path path, boolean temporary, boolean keep) {
        this.path = path;
        this.temporary = temporary;
        this.keep = keep;
    }

    /** A fresh temporary directory "pagelab-run-*", deleted on close unless {@code keep}. */
    static Workdir temporary(boolean keep) throws IOException {
        return new Workdir(Files.createTempDirectory("pagelab-run-"), true, keep);
    }

    /**
     * The directory {@code dir}, created with its parents when missing. Throws
     * {@link IllegalArgumentException} quoting {@code dir} when it cannot be a working directory.
     */
    static Workdir given(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("working directory '" + dir + "' exists and is not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create working directory '" + dir + "': "
                    + org.pagelab.input.IoReason.of(e), e);
        }
        return new Workdir(dir, false, true);
    }

    Path path() {
        return path;
    }

    /** Whether this is a temporary directory that stays after the run. */
    boolean keptTemporary() {
        return temporary && keep;
    }

    /**
     * The directory, when the user should be told about it (they named it, or asked to keep a
     * temporary one); null for a temporary directory gone after the run.
     */
    Path reported() {
        return temporary && !keep ? null : path;
    }

    @Override
    public void close() {
        if (!temporary || keep) {
            return;
        }
        Machine.deleteTree(path);
    }
}
