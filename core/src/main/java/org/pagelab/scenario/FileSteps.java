package org.pagelab.scenario;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.pagelab.filemap.IoResult;
import org.pagelab.filemap.OpenFile;
import org.pagelab.filemap.OpenResult;
import org.pagelab.filemap.Vfs;

/**
 * The files of a running scenario and the steps on them: the files the scenario declares,
 * created and opened before the first step; file_write, file_read, fsync, close, unlink and sync;
 * a closed file opened again (open(2)) by the next step that needs it; every file closed when the
 * run ends.
 */
final class FileSteps {
    private final Vfs vfs;
    private final boolean data;
    private final Map<String, OpenFile> open = new LinkedHashMap<>();
    /** Files an unlink step removed. */
    private final Set<String> unlinked = new HashSet<>();

    FileSteps(Vfs vfs, boolean data) {
        this.vfs = vfs;
        this.data = data;
    }

    /** Creates and opens the files of {@code s}; a file the machine refuses is bad input naming its line. */
    void create(Scenario s) {
        for (Scenario.FileSpec f : s.files()) {
            OpenResult r = f.memfd() ? vfs.memfdCreate(f.name()) : vfs.create(f.name(), f.size());
            if (r instanceof OpenResult.OpenFailed failed) {
                throw new ScenarioException(s.source(), f.line(), "cannot create file '"
                        + org.pagelab.input.Escape.quote(f.name()) + "': " + failed.describe());
            }
            OpenFile of = r.orThrow();
            if (f.memfd()) {
                vfs.truncate(of, f.size()).orThrow();
            }
            open.put(f.name(), of);
        }
    }

    /** Runs file step {@code st} (file_write, file_read, fsync, close, unlink or sync). */
    void step(Step st) {
        switch (st.kind()) {
            case "file_write" -> {
                OpenFile f = openFile(st.file());
                long off = st.offset() == null ? 0 : st.offset();
                int len = ioLength(st);
                if (data) {
                    byte[] buf = new byte[len];
                    java.util.Arrays.fill(buf, (byte) (int) st.fill());
                    ioAsDeclared(vfs.pwrite(f, off, buf, 0, len), st);
                } else {
                    f.seekTo(off);
                    ioAsDeclared(vfs.writeDataless(f, len), st);
                }
            }
            case "file_read" -> {
                OpenFile f = openFile(st.file());
                long off = st.offset() == null ? 0 : st.offset();
                int len = ioLength(st);
                if (data) {
                    ioAsDeclared(vfs.pread(f, off, new byte[len], 0, len), st);
                } else {
                    f.seekTo(off);
                    ioAsDeclared(vfs.readDataless(f, len), st);
                }
            }
            case "fsync" -> ioAsDeclared(vfs.fsync(openFile(st.file())), st);
            case "sync" -> vfs.sync();
            case "close" -> {
                OpenFile f = open.get(st.file());
                if (f == null || f.isClosed()) {
                    throw new StepFailed("file '" + st.file() + "' is not open");
                }
                ioOk(vfs.close(f), "close");
            }
            case "unlink" -> {
                ioOk(vfs.unlink(st.file()), "unlink");
                unlinked.add(st.file());
            }
            default -> throw new IllegalStateException("not a file step: " + st.kind());
        }
    }

    /**
     * The scenario's open file {@code name}, opened again (open(2)) when a close step closed it;
     * a step on a file an unlink step removed fails.
     */
    OpenFile openFile(String name) {
        if (unlinked.contains(name)) {
            throw new StepFailed("file '" + name + "' was unlinked");
        }
        OpenFile f = open.get(name);
        if (f.isClosed()) {
            var r = vfs.open(name);
            if (r instanceof OpenResult.OpenFailed failed) {
                throw new StepFailed("open of '" + name + "' failed: " + failed.errno());
            }
            f = r.orThrow();
            open.put(name, f);
        }
        return f;
    }

    /** Closes every file still open (the end of the run). */
    void closeAll() {
        for (OpenFile f : open.values()) {
            if (!f.isClosed()) {
                vfs.close(f);
            }
        }
    }

    private static int ioLength(Step st) {
        long n = st.length();
        if (n > Integer.MAX_VALUE - 8) {
            throw new StepFailed("length " + n + " is too large for one step");
        }
        return (int) n;
    }

    private static void ioOk(IoResult r, String what) {
        if (r instanceof IoResult.Failed f) {
            throw new StepFailed(what + " failed: " + f.errno());
        }
    }

    /** The result of a file step that gives {@code errno}: it must fail so; without one, it must succeed. */
    private static void ioAsDeclared(IoResult r, Step st) {
        String want = st.options().errno();
        if (want == null) {
            ioOk(r, st.kind());
        } else if (!(r instanceof IoResult.Failed f)) {
            throw new StepFailed(st.kind() + " succeeded, expected it to fail with " + want);
        } else if (!f.errno().name().equals(want)) {
            throw new StepFailed(st.kind() + " failed with " + f.errno() + ", expected " + want);
        }
    }
}
