package io.xenondb.shared.wal;

import java.io.ByteArrayOutputStream;

/**
 * Test-only pglz compressor: greedy longest match within the 4095-byte window, so the decoder's pglz path can be
 * tested on known input. Output follows the format the decompressor reads; it is not tuned like PostgreSQL's.
 */
public final class PglzEncoder {
    private PglzEncoder() {}

    public static byte[] compress(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (pos < in.length) {
            int controlAt = out.size();
            out.write(0);
            int control = 0;
            for (int bit = 0; bit < 8 && pos < in.length; bit++) {
                int bestLen = 0;
                int bestOff = 0;
                for (int off = 1; off <= Math.min(4095, pos); off++) {
                    int len = 0;
                    while (len < 273 && pos + len < in.length && in[pos + len] == in[pos + len - off]) {
                        len++;
                    }
                    if (len > bestLen) {
                        bestLen = len;
                        bestOff = off;
                        if (len == 273) {
                            break;
                        }
                    }
                }
                if (bestLen >= 3) {
                    control |= 1 << bit;
                    if (bestLen >= 18) {
                        out.write(((bestOff >> 4) & 0xF0) | 0x0F);
                        out.write(bestOff & 0xFF);
                        out.write(bestLen - 18);
                    } else {
                        out.write(((bestOff >> 4) & 0xF0) | (bestLen - 3));
                        out.write(bestOff & 0xFF);
                    }
                    pos += bestLen;
                } else {
                    out.write(in[pos++]);
                }
            }
            byte[] sofar = out.toByteArray();
            sofar[controlAt] = (byte) control;
            out.reset();
            out.writeBytes(sofar);
        }
        return out.toByteArray();
    }
}
