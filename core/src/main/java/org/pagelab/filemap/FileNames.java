package org.pagelab.filemap;

import java.nio.charset.StandardCharsets;
import org.pagelab.input.Escape;
import org.pagelab.input.Limits;

/**
 * The rule for the names of files inside the working directory: a relative path of one or more
 * components separated by single slashes, each neither empty, {@code .} nor {@code ..}, at most
 * {@link Limits#MAX_NAME_COMPONENT_BYTES} bytes, the whole at most {@link Limits#MAX_NAME_BYTES}
 * bytes of UTF-8, with no NUL or other control character. A name that obeys it is already normal
 * (nothing to resolve) and cannot name anything outside the directory by its spelling; symbolic
 * links on the host are {@link HostPaths}'s part.
 */
public final class FileNames {
    private FileNames() {
    }

    /** Returns {@code name} when it obeys the rule; {@link IllegalArgumentException} quoting it and saying why otherwise. */
    public static String check(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("file name '" + (name == null ? "" : Escape.quote(name)) + "' " + problem);
        }
        return name;
    }

    /** What is wrong with {@code name}, or null when it obeys the rule. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "is empty";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == 0) {
                return "contains a NUL byte";
            }
            if (c < 0x20 || c == 0x7f || Character.isISOControl(c)) {
                return "contains a control character (" + Escape.quote(String.valueOf(c)) + ")";
            }
        }
        if (name.startsWith("/")) {
            return "must be relative to the working directory";
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Limits.MAX_NAME_BYTES) {
            return "is too long: " + bytes + " bytes, at most " + Limits.MAX_NAME_BYTES;
        }
        for (String c : name.split("/", -1)) {
            if (c.equals("..")) {
                return "has a '..' component, which leaves the directory it is in";
            }
            if (c.isEmpty() || c.equals(".")) {
                return "has an empty or '.' component (write it without '//', './' or a trailing '/')";
            }
            int cb = c.getBytes(StandardCharsets.UTF_8).length;
            if (cb > Limits.MAX_NAME_COMPONENT_BYTES) {
                return "has a component of " + cb + " bytes, at most " + Limits.MAX_NAME_COMPONENT_BYTES;
            }
        }
        return null;
    }
}
