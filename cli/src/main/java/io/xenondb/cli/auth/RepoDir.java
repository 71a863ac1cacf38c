package io.xenondb.cli.auth;

import java.nio.file.Path;

/** Where the local system keeps its state: {@code $XENON_REPO_DIR}, else {@code ./.xenon}. */
final class RepoDir {
    private RepoDir() {}

    static Path resolve() {
        String env = System.getenv("XENON_REPO_DIR");
        return env == null || env.isBlank() ? Path.of(".xenon") : Path.of(env);
    }
}
