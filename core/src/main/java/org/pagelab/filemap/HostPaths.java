package org.pagelab.filemap;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.pagelab.input.Escape;
import org.pagelab.input.IoReason;

/**
 * Host files beneath a working directory, reached without following a symbolic link: pagelab
 * writes nowhere else. A name (checked by {@link FileNames}) is walked one component at a time
 * from the directory with lstat (LinkOption.NOFOLLOW_LINKS); a component that is a symbolic
 * link is refused wherever it points, even inside the directory, and a missing directory is made
 * with mkdir, which never follows a link. The file itself is created with O_CREAT|O_EXCL|O_NOFOLLOW
 * (CREATE_NEW with NOFOLLOW_LINKS) and opened with O_NOFOLLOW. As a last check the real path of the
 * file's directory must still lie inside the real path of the working directory, so that a link
 * swapped in by another process while the walk ran is caught too: the file is then closed and
 * removed before a byte is written to it. Java has no mkdirat or openat, so against such a race
 * the guarantee is that one: an empty directory made on the way could still land outside.
 */
public final class HostPaths {
    private HostPaths() {
    }

    /** Why a host path was refused: the errno a program would see, and a sentence saying why. */
    public static final class Refused extends IOException {
        private final Errno errno;

        Refused(Errno errno, String reason) {
            super(reason, null);
            this.errno = errno;
        }

        public Errno errno() {
            return errno;
        }
    }

    /**
     * Creates the regular file {@code name} beneath {@code root}, making missing directories on
     * the way, and opens it for reading and writing. Throws {@link Refused} (EEXIST, ELOOP,
     * ENOTDIR) when a component is a symbolic link or not a directory or the file exists, and
     * other {@link IOException}s when the host refuses.
     */
    public static FileChannel create(Path root, String name) throws IOException {
        Path dir = walk(root, name, true);
        Path file = dir.resolve(last(name));
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.SPARSE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (FileAlreadyExistsException e) {
            if (Files.isSymbolicLink(file)) {
                throw symlink(name, name);
            }
            throw new Refused(Errno.EEXIST, "'" + Escape.quote(name) + "' already exists in the working directory");
        }
        try {
            confined(root, dir, name);
        } catch (Refused e) {
            ch.close();
            Files.deleteIfExists(file);
            throw e;
        }
        return ch;
    }

    /**
     * Opens the existing regular file {@code name} beneath {@code root} for reading and writing.
     * Throws {@link Refused} (ENOENT, ELOOP, ENOTDIR) when it is missing, not a regular file, or
     * reached through a symbolic link.
     */
    public static FileChannel open(Path root, String name) throws IOException {
        Path dir = walk(root, name, false);
        Path file = dir.resolve(last(name));
        BasicFileAttributes a = attributes(file);
        if (a == null) {
            throw new Refused(Errno.ENOENT, "'" + Escape.quote(name) + "' does not exist in the working directory");
        }
        if (a.isSymbolicLink()) {
            throw symlink(name, name);
        }
        if (!a.isRegularFile()) {
            throw new Refused(Errno.ENOENT, "'" + Escape.quote(name) + "' is not a regular file");
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        try {
            confined(root, dir, name);
        } catch (Refused e) {
            ch.close();
            throw e;
        }
        return ch;
    }

    /** Removes {@code name} beneath {@code root} when it is there (a link itself, never its target). */
    public static void delete(Path root, String name) throws IOException {
        Path dir;
        try {
            dir = walk(root, name, false);
        } catch (Refused e) {
            if (e.errno() == Errno.ENOENT) {
                return;
            }
            throw e;
        }
        Files.deleteIfExists(dir.resolve(last(name)));
    }

    /** The directory that holds {@code name}, every component on the way a real directory. */
    private static Path walk(Path root, String name, boolean create) throws IOException {
        FileNames.check(name);
        Path dir = root;
        int at = 0;
        for (int slash; (slash = name.indexOf('/', at)) >= 0; at = slash + 1) {
            Path next = dir.resolve(name.substring(at, slash));
            BasicFileAttributes a = attributes(next);
            if (a == null) {
                if (!create) {
                    throw new Refused(Errno.ENOENT, "directory '" + Escape.quote(name.substring(0, slash))
                            + "' does not exist in the working directory");
                }
                try {
                    Files.createDirectory(next);
                } catch (FileAlreadyExistsException e) {
                    // made by someone else meanwhile: the lstat below judges it
                }
                a = attributes(next);
                if (a == null) {
                    throw new Refused(Errno.ENOENT, "directory '" + Escape.quote(name.substring(0, slash))
                            + "' vanished while it was made");
                }
            }
            if (a.isSymbolicLink()) {
                throw symlink(name.substring(0, slash), name);
            }
            if (!a.isDirectory()) {
                throw new Refused(Errno.ENOTDIR, "'" + Escape.quote(name.substring(0, slash))
                        + "' is not a directory in the working directory");
            }
            dir = next;
        }
        return dir;
    }

    private static String last(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    /** The attributes of {@code p} itself (a link is not followed), or null when it does not exist. */
    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static Refused symlink(String component, String name) {
        return new Refused(Errno.ELOOP, "'" + Escape.quote(component) + "' is a symbolic link"
                + (component.equals(name) ? "" : " (on the way to '" + Escape.quote(name) + "')")
                + "; pagelab follows no links in the working directory");
    }

    /** Checks that {@code dir}'s real path still lies inside {@code root}'s. */
    private static void confined(Path root, Path dir, String name) throws IOException {
        Path realRoot = root.toRealPath();
        Path realDir = dir.toRealPath();
        if (!realDir.startsWith(realRoot)) {
            throw new Refused(Errno.ELOOP, "'" + Escape.quote(name) + "' resolves to '" + Escape.quote(realDir.toString())
                    + "', outside the working directory");
        }
    }

    /** The reason of a host failure {@code e}, as messages print it. */
    public static String reason(IOException e) {
        return e instanceof Refused ? e.getMessage() : IoReason.of(e);
    }
}
