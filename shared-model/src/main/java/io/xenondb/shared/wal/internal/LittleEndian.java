package io.xenondb.shared.wal.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Unsigned little-endian reads from byte arrays; callers check bounds first. */
public final class LittleEndian {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {}

    public static int u8(byte[] b, int offset) {
        return b[offset] & 0xFF;
    }

    public static int u16(byte[] b, int offset) {
        return ((short) SHORT.get(b, offset)) & 0xFFFF;
    }

    public static int i32(byte[] b, int offset) {
        return (int) INT.get(b, offset);
    }

    public static long u32(byte[] b, int offset) {
        return i32(b, offset) & 0xFFFF_FFFFL;
    }

    public static long i64(byte[] b, int offset) {
        return (long) LONG.get(b, offset);
    }
}
