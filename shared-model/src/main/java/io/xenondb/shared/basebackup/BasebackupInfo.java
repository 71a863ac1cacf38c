package io.xenondb.shared.basebackup;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@value #FILE} file, the first entry of every base backup (PostgreSQL ignores it). Lines {@code KEY: value}:
 * {@code LSN} the target, {@code REDO} the image's redo point, {@code IMAGE} the LSN of the image the data files
 * are, {@code IMAGE_ID} that image's identity (name and creation time: an image deleted and made again at the same
 * LSN gets another), then either {@code INCREMENTAL_FROM: <lsn> <id>} (the tar only holds the changes since that
 * image) or {@code FULL: <why>} (whole; after a refused incremental request, why).
 *
 * @param baseImageLsn {@link Lsn#INVALID} for a full backup
 * @param baseImageId null for a full backup
 * @param fullReason for a full backup, why it is whole ({@code requested} when no incremental form was asked for)
 */
public record BasebackupInfo(
        Lsn lsn, Lsn redoLsn, Lsn imageLsn, String imageId, Lsn baseImageLsn, String baseImageId, String fullReason) {
    /** Name of the file in the tar. */
    public static final String FILE = "xenon_basebackup";

    public BasebackupInfo {
        if (lsn == null || redoLsn == null || imageLsn == null || imageId == null || baseImageLsn == null) {
            throw invalid("a missing field (expected: LSN, REDO, IMAGE, IMAGE_ID)");
        }
        if (imageId.isBlank() || imageId.contains("\n")) {
            throw invalid("IMAGE_ID '" + imageId + "' (expected: one non-blank line)");
        }
        boolean incremental = baseImageLsn.isValid();
        if (incremental == (baseImageId == null) || incremental == (fullReason != null)) {
            throw invalid("INCREMENTAL_FROM " + baseImageLsn + " " + baseImageId + ", FULL " + fullReason
                    + " (expected: exactly one of INCREMENTAL_FROM <lsn> <id> and FULL <reason>)");
        }
        if (baseImageId != null && (baseImageId.isBlank() || baseImageId.contains(" ") || baseImageId.contains("\n"))) {
            throw invalid("INCREMENTAL_FROM id '" + baseImageId + "' (expected: one word)");
        }
        if (fullReason != null && fullReason.contains("\n")) {
            throw invalid("FULL reason '" + fullReason + "' (expected: one line)");
        }
    }

    /** A whole base backup; {@code reason} says why (e.g. {@code requested}). */
    public static BasebackupInfo full(Lsn lsn, Lsn redoLsn, Lsn imageLsn, String imageId, String reason) {
        return new BasebackupInfo(lsn, redoLsn, imageLsn, imageId, Lsn.INVALID, null, reason);
    }

    /** Only the changes from the image {@code baseImageLsn}/{@code baseImageId} to this one. */
    public static BasebackupInfo incremental(
            Lsn lsn, Lsn redoLsn, Lsn imageLsn, String imageId, Lsn baseImageLsn, String baseImageId) {
        return new BasebackupInfo(lsn, redoLsn, imageLsn, imageId, baseImageLsn, baseImageId, null);
    }

    public boolean isIncremental() {
        return baseImageLsn.isValid();
    }

    /** Parses the file's text; throws {@link ErrorCode#INVALID_ARGUMENT} naming what is wrong. */
    public static BasebackupInfo parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(": ");
            if (colon <= 0) {
                throw invalid("line '" + line + "' (expected: KEY: value)");
            }
            fields.put(line.substring(0, colon), line.substring(colon + 2).strip());
        }
        String from = fields.get("INCREMENTAL_FROM");
        Lsn baseLsn = Lsn.INVALID;
        String baseId = null;
        if (from != null) {
            String[] parts = from.split(" ");
            if (parts.length != 2) {
                throw invalid("INCREMENTAL_FROM '" + from + "' (expected: <lsn> <image id>)");
            }
            baseLsn = Lsn.parse(parts[0]);
            baseId = parts[1];
        }
        return new BasebackupInfo(
                lsn(fields, "LSN"),
                lsn(fields, "REDO"),
                lsn(fields, "IMAGE"),
                fields.get("IMAGE_ID"),
                baseLsn,
                baseId,
                from == null ? fields.getOrDefault("FULL", "unknown") : null);
    }

    private static Lsn lsn(Map<String, String> fields, String key) {
        String value = fields.get(key);
        if (value == null) {
            throw invalid("no " + key + " line (expected: " + key + ": X/X)");
        }
        return Lsn.parse(value);
    }

    public byte[] toBytes() {
        return toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append("LSN: ").append(lsn).append('\n');
        s.append("REDO: ").append(redoLsn).append('\n');
        s.append("IMAGE: ").append(imageLsn).append('\n');
        s.append("IMAGE_ID: ").append(imageId).append('\n');
        if (isIncremental()) {
            s.append("INCREMENTAL_FROM: ")
                    .append(baseImageLsn)
                    .append(' ')
                    .append(baseImageId)
                    .append('\n');
        } else {
            s.append("FULL: ").append(fullReason).append('\n');
        }
        return s.toString();
    }

    private static XenonException invalid(String what) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, "base backup info " + FILE + ": " + what);
    }
}
