package org.pagelab.filemap;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.pagelab.phys.FrameContents;
import org.pagelab.phys.MemSize;

/**
 * A real host file beneath the run's working directory, reached without following a symbolic
 * link ({@link HostPaths}), read and written through a {@link FileChannel} straight from and into
 * frame memory.
 */
public final class HostFileStore implements BackingStore {
    private final Path root;
    private final String name;
    private final FileChannel channel;
    private final long initialLength;

    private HostFileStore(Path root, String name, FileChannel channel, long initialLength) {
        this.root = root;
        this.name = name;
        this.channel = channel;
        this.initialLength = initialLength;
    }

    /**
     * Creates the host file {@code name} beneath working directory {@code root}, following no
     * symbolic link ({@link HostPaths#create}). Throws {@link IOException} when it exists, a
     * component is a link, or the host refuses.
     */
    public static HostFileStore create(Path root, String name) throws IOException {
        FileChannel ch = HostPaths.create(root, name);
        return new HostFileStore(root, name, ch, ch.size());
    }

    /**
     * Opens the existing host file {@code name} beneath working directory {@code root}, following
     * no symbolic link ({@link HostPaths#open}). Throws {@link IOException} when it is missing, is
     * reached through a link, or the host refuses.
     */
    public static HostFileStore open(Path root, String name) throws IOException {
        FileChannel ch = HostPaths.open(root, name);
        return new HostFileStore(root, name, ch, ch.size());
    }

    /** The host path. */
    public Path path() {
        return root.resolve(name);
    }

    @Override
    public boolean readPages(long index, int nr, FrameContents contents, int pfn) {
        if (!contents.holdsData()) {
            return true;
        }
        MemorySegment seg = contents.frames(pfn, nr);
        ByteBuffer buf = seg.asByteBuffer();
        long pos = index << MemSize.PAGE_SHIFT;
        try {
            while (buf.hasRemaining()) {
                int n = channel.read(buf, pos);
                if (n < 0) {
                    break;
                }
                pos += n;
            }
        } catch (IOException e) {
            return false;
        }
        while (buf.hasRemaining()) {
            buf.put((byte) 0);
        }
        return true;
    }

    @Override
    public boolean writePages(long index, int nr, FrameContents contents, int pfn, long fileSize) {
        if (!contents.holdsData()) {
            return true;
        }
        long pos = index << MemSize.PAGE_SHIFT;
        long len = Math.min((long) nr << MemSize.PAGE_SHIFT, fileSize - pos);
        if (len <= 0) {
            return true;
        }
        ByteBuffer buf = contents.frames(pfn, nr).asSlice(0, len).asByteBuffer();
        try {
            while (buf.hasRemaining()) {
                pos += channel.write(buf, pos);
            }
        } catch (IOException e) {
            return false;
        }
        return true;
    }

    @Override
    public boolean setLength(long size) {
        try {
            long cur = channel.size();
            if (size < cur) {
                channel.truncate(size);
            } else if (size > cur) {
                channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean force() {
        try {
            channel.force(false);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public long initialLength() {
        return initialLength;
    }

    @Override
    public boolean delete() {
        close();
        try {
            HostPaths.delete(root, name);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a channel we only read and wrote through: nothing left to report
        }
    }
}
