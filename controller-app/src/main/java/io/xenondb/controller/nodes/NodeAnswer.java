package io.xenondb.controller.nodes;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A node's HTTP answer (storage node or WAL node): status and body text (JSON). */
public record NodeAnswer(int status, String body) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public boolean isSuccess() {
        return status >= 200 && status <= 299;
    }

    /**
     * The typed error a failed answer stands for, keeping the node's {@code msg} and the meaning of its status
     * (400, 404, 406, 409); anything else is UNAVAILABLE. {@code who} names the node, e.g. "storage node 1".
     */
    public XenonException toError(String who) {
        String msg = null;
        try {
            JsonNode parsed = JSON.readTree(body).get("msg");
            if (parsed != null && parsed.isString()) {
                msg = parsed.asString();
            }
        } catch (JacksonException e) {
            // not the {"msg"} form: the status says enough
        }
        String shown = body.length() <= 200 ? body : body.substring(0, 200) + "...";
        String text = who + ": " + (msg != null ? msg : "HTTP " + status + " " + shown);
        ErrorCode code = switch (status) {
            case 400, 405, 411, 413, 415, 422 -> ErrorCode.INVALID_ARGUMENT;
            case 404 -> ErrorCode.NOT_FOUND;
            case 406 -> ErrorCode.LSN_NOT_AVAILABLE;
            case 409, 412 -> ErrorCode.CONFLICT;
            default -> ErrorCode.UNAVAILABLE;
        };
        return new XenonException(code, text);
    }
}
