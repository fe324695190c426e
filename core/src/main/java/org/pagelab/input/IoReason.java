package org.pagelab.input;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.Locale;

/**
 * The reason a host file operation failed, in the words of strerror(3): the message of a
 * {@link FileSystemException} is often just the path, which says nothing the caller did not know.
 */
public final class IoReason {
    private IoReason() {
    }

    /** Why {@code e} happened: "permission denied", "no such file or directory", the host's own reason. */
    public static String of(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> "no such file or directory";
            case AccessDeniedException x -> "permission denied";
            case FileAlreadyExistsException x -> "file exists";
            case NotDirectoryException x -> "not a directory";
            case DirectoryNotEmptyException x -> "directory not empty";
            case FileSystemLoopException x -> "too many levels of symbolic links";
            case NotLinkException x -> "not a symbolic link";
            case FileSystemException fs when fs.getReason() != null && !fs.getReason().isBlank() -> lowerFirst(fs.getReason());
            default -> e.getMessage() == null || e.getMessage().isBlank()
                    ? e.getClass().getSimpleName() : Escape.quote(e.getMessage());
        };
    }

    private static String lowerFirst(String s) {
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))) {
            return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
        }
        return s;
    }
}
