package io.xenondb.cli.command;

import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.util.function.Function;
import picocli.CommandLine;

/** Option values read by the shared-model parsers, whose messages name what was wrong. */
public final class Converters {
    private Converters() {}

    private static <T> T convert(String value, Function<String, T> parse) {
        try {
            return parse.apply(value);
        } catch (XenonException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    public static final class TenantIds implements CommandLine.ITypeConverter<TenantId> {
        @Override
        public TenantId convert(String value) {
            return Converters.convert(value, TenantId::parse);
        }
    }

    public static final class TimelineIds implements CommandLine.ITypeConverter<TimelineId> {
        @Override
        public TimelineId convert(String value) {
            return Converters.convert(value, TimelineId::parse);
        }
    }

    public static final class Lsns implements CommandLine.ITypeConverter<Lsn> {
        @Override
        public Lsn convert(String value) {
            return Converters.convert(value, Lsn::parse);
        }
    }
}
