package io.xenondb.storagenode.image;

import java.io.IOException;
import java.io.InputStream;

/** A relation file's bytes, read page by page from the packs as the stream is consumed. */
final class PagedInputStream extends InputStream {
    /** Reads one stored page. */
    interface PageReader {
        byte[] read(PageHash hash) throws IOException;
    }

    private final PageHash[] pages;
    private final PageReader reader;
    private int next;
    private byte[] current;
    private int pos;

    PagedInputStream(PageHash[] pages, PageReader reader) {
        this.pages = pages;
        this.reader = reader;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (current == null || pos == current.length) {
            if (next == pages.length) {
                return -1;
            }
            current = reader.read(pages[next++]);
            pos = 0;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }
}
