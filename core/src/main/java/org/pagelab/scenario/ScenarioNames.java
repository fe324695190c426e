package org.pagelab.scenario;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.pagelab.filemap.FileNames;
import org.pagelab.filemap.Vfs;
import org.pagelab.input.Escape;

/**
 * The rules for the names a scenario's {@code files} section gives: a named file obeys
 * {@link FileNames} (a relative path inside the working directory, no {@code ..}, no control
 * characters, bounded length) and must not collide with a directory the run needs (a tmpfs mount
 * point, or the directory of another file); a memfd name is what memfd_create(2) takes.
 */
final class ScenarioNames {
    /** Longest memfd name in bytes (the kernel's MFD_NAME_MAX_LEN: NAME_MAX minus "memfd:"). */
    static final int MEMFD_NAME_MAX = 249;

    private ScenarioNames() {
    }

    /**
     * What is wrong with file name {@code name} given the files declared before it and the tmpfs
     * mount points, or null when nothing is.
     */
    static String fileProblem(String name, Collection<String> earlier, Collection<String> tmpfs) {
        String problem = FileNames.problem(name);
        if (problem != null) {
            return "bad file name '" + Escape.quote(name) + "': it " + problem;
        }
        for (String m : tmpfs) {
            if (m.equals(name) || m.startsWith(name + "/")) {
                return "bad file name '" + Escape.quote(name) + "': '" + m + "' is a tmpfs mount point, a directory";
            }
        }
        if (Vfs.DEV_SHM.equals(name) || Vfs.DEV_SHM.startsWith(name + "/")) {
            return "bad file name '" + Escape.quote(name) + "': '" + Vfs.DEV_SHM + "' is a tmpfs mount point, a directory";
        }
        for (String f : earlier) {
            if (f.startsWith(name + "/")) {
                return "bad file name '" + Escape.quote(name) + "': it is the directory of file '" + Escape.quote(f) + "'";
            }
            if (name.startsWith(f + "/")) {
                return "bad file name '" + Escape.quote(name) + "': file '" + Escape.quote(f) + "' is not a directory";
            }
        }
        return null;
    }

    /** What is wrong with memfd name {@code name}, or null when nothing is. */
    static String memfdProblem(String name) {
        if (name.isEmpty()) {
            return "bad memfd name '': it is empty";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c < 0x20 || Character.isISOControl(c)) {
                return "bad memfd name '" + Escape.quote(name) + "': it contains "
                        + (c == '/' ? "a '/'" : c == 0 ? "a NUL byte" : "a control character");
            }
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MEMFD_NAME_MAX) {
            return "bad memfd name '" + Escape.quote(name) + "': it is too long: " + bytes + " bytes, at most " + MEMFD_NAME_MAX;
        }
        return null;
    }
}
