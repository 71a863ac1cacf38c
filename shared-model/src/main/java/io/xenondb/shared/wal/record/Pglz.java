package io.xenondb.shared.wal.record;

/**
 * Decompressor for PostgreSQL's pglz format (pg_lzcompress.c), written from the format description.
 *
 * <p>The stream is a sequence of groups: one control byte, then up to eight items, one per control bit from
 * the least significant. A clear bit is a literal byte. A set bit is a back-reference tag of two or three
 * bytes: the low nibble of the first byte plus 3 is the length (18 means "add the next extra byte"), and the
 * high nibble with the second byte form a 12-bit offset back into the output. Matches may overlap their own
 * output, so they are copied byte by byte.
 */
final class Pglz {
    private Pglz() {}

    /**
     * Decompresses {@code source[offset, offset+length)} into exactly {@code rawSize} bytes, or returns
     * {@code null} if the data is corrupt or does not produce exactly that many bytes from exactly that input.
     */
    static byte[] decompress(byte[] source, int offset, int length, int rawSize) {
        byte[] out = new byte[rawSize];
        int sp = offset;
        int srcEnd = offset + length;
        int dp = 0;
        while (sp < srcEnd && dp < rawSize) {
            int control = source[sp++] & 0xFF;
            for (int bit = 0; bit < 8 && sp < srcEnd && dp < rawSize; bit++, control >>= 1) {
                if ((control & 1) == 0) {
                    out[dp++] = source[sp++];
                    continue;
                }
                if (sp + 2 > srcEnd) {
                    return null;
                }
                int b0 = source[sp] & 0xFF;
                int b1 = source[sp + 1] & 0xFF;
                sp += 2;
                int len = (b0 & 0x0F) + 3;
                int off = ((b0 & 0xF0) << 4) | b1;
                if (len == 18) {
                    if (sp >= srcEnd) {
                        return null;
                    }
                    len += source[sp++] & 0xFF;
                }
                if (off == 0 || off > dp) {
                    return null;
                }
                len = Math.min(len, rawSize - dp);
                for (int i = 0; i < len; i++, dp++) {
                    out[dp] = out[dp - off];
                }
            }
        }
        return dp == rawSize && sp == srcEnd ? out : null;
    }
}
