package io.xenondb.controller.nodes;

/** A storage node's HTTP answer: status and body text (JSON). */
public record NodeAnswer(int status, String body) {
    public boolean isSuccess() {
        return status >= 200 && status <= 299;
    }
}
