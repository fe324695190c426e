package org.pagelab.swap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pagelab.filemap.FileNames;
import org.pagelab.filemap.HostPaths;
import org.pagelab.phys.FrameContents;
import org.pagelab.phys.MemSize;

/**
 * A swap area in a real host file, for data mode: {@code pages * PAGE_SIZE} bytes, created sparse
 * with a version-1 swap header in page 0 (what mkswap writes: {@code version}, {@code last_page},
 * no bad pages, and the "SWAPSPACE2" signature in the page's last ten bytes), so the file is also
 * a valid swap file for a real kernel. Pages move straight between the file and frame memory
 * through a {@link FileChannel}; the file is closed and deleted at swapoff.
 */
public final class SwapFile implements SwapBackend {
    /** The signature at the end of the header page. */
    static final String SWAP_MAGIC = "SWAPSPACE2";
    private static final int HEADER_VERSION_OFFSET = 1024;

    private final Path path;
    private final FileChannel channel;
    private final long pages;

    private SwapFile(Path path, FileChannel channel, long pages) {
        this.path = path;
        this.channel = channel;
        this.pages = pages;
    }

    /**
     * Creates the swap file {@code fileName} in {@code dir}: sparse, {@code pages} pages long,
     * header written, following no symbolic link ({@link HostPaths#create}). Throws
     * {@link IOException} when the file exists, is a link, or the host refuses.
     * Requires: {@code fileName} is a plain file name; {@code 2 <= pages}, and
     * {@code pages - 1} fits the header's 32-bit {@code last_page}.
     */
    public static SwapFile create(Path dir, String fileName, long pages) throws IOException {
        if (fileName.indexOf('/') >= 0 || FileNames.problem(fileName) != null) {
            throw new IllegalArgumentException("swap file name must be a plain file name: '" + fileName + "'");
        }
        if (pages < 2 || pages - 1 > 0xffff_ffffL) {
            throw new IllegalArgumentException("swap file size out of range: " + pages + " pages");
        }
        FileChannel ch = HostPaths.create(dir, fileName);
        Path path = dir.resolve(fileName);
        try {
            writeFully(ch, header(pages), 0);
            long size = pages << MemSize.PAGE_SHIFT;
            writeFully(ch, ByteBuffer.allocate(1), size - 1);
        } catch (IOException e) {
            ch.close();
            Files.deleteIfExists(path);
            throw e;
        }
        return new SwapFile(path, ch, pages);
    }

    private static ByteBuffer header(long pages) {
        ByteBuffer h = ByteBuffer.allocate(MemSize.PAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(HEADER_VERSION_OFFSET, 1);
        h.putInt(HEADER_VERSION_OFFSET + 4, (int) (pages - 1));
        h.putInt(HEADER_VERSION_OFFSET + 8, 0);
        h.put(MemSize.PAGE_SIZE - SWAP_MAGIC.length(), SWAP_MAGIC.getBytes(StandardCharsets.US_ASCII));
        return h;
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }

    /** The host path of the file. */
    public Path path() {
        return path;
    }

    @Override
    public long pages() {
        return pages;
    }

    @Override
    public boolean writePage(long offset, FrameContents contents, int pfn) {
        checkSlot(offset);
        if (!contents.holdsData()) {
            return true;
        }
        try {
            writeFully(channel, contents.frames(pfn, 1).asByteBuffer(), offset << MemSize.PAGE_SHIFT);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean readPage(long offset, FrameContents contents, int pfn) {
        checkSlot(offset);
        if (!contents.holdsData()) {
            return true;
        }
        ByteBuffer buf = contents.frames(pfn, 1).asByteBuffer();
        long pos = offset << MemSize.PAGE_SHIFT;
        try {
            while (buf.hasRemaining()) {
                int n = channel.read(buf, pos);
                if (n < 0) {
                    return false;
                }
                pos += n;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Closes and deletes the file. */
    @Override
    public void release() {
        try {
            channel.close();
        } catch (IOException e) {
            // the file is deleted next; a failed close loses nothing the model needs
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a file left behind in the run's directory is harmless
        }
    }

    private void checkSlot(long offset) {
        if (offset <= 0 || offset >= pages) {
            throw new IllegalArgumentException("swap slot out of range: " + offset + " of " + pages + " pages");
        }
    }
}
