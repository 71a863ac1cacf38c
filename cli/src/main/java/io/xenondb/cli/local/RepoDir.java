package io.xenondb.cli.local;

import java.nio.file.Path;

/** Where the local system keeps its state: {@code $XENON_REPO_DIR}, else {@code ./.xenon}. */
public final class RepoDir {
    private RepoDir() {}

    public static Path resolve() {
        // The property lets tests that run commands in-process pick a directory; users set the variable.
        String env = System.getProperty("xenon.repo-dir", System.getenv("XENON_REPO_DIR"));
        return (env == null || env.isBlank() ? Path.of(".xenon") : Path.of(env))
                .toAbsolutePath()
                .normalize();
    }
}
