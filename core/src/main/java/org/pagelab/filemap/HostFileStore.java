package org.pagelab.filemap;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.pagelab.phys.FrameContents;
import org.pagelab.phys.MemSize;

/**
 * A real host file under the run's working directory, read and written through a
 * {@link FileChannel} straight from and into frame memory.
 */
public final class HostFileStore implements BackingStore {
    private final Path path;
    private final FileChannel channel;
    private final long initialLength;

    private HostFileStore(Path path, FileChannel channel, long initialLength) {
        this.path = path;
        this.channel = channel;
        this.initialLength = initialLength;
    }

    /**
     * Opens (creating when {@code create}) the host file at {@code path}, not following a symbolic
     * link at its last component. Throws {@link IOException} when the host refuses.
     */
    public static HostFileStore open(Path path, boolean create) throws IOException {
        if (Files.isSymbolicLink(path)) {
            throw new IOException("refusing to follow a symbolic link: " + path);
        }
        FileChannel ch = create
                ? FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        return new HostFileStore(path, ch, ch.size());
    }

    /** The host path. */
    public Path path() {
        return path;
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
            Files.deleteIfExists(path);
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
