package io.xenondb.cli.auth;

import io.xenondb.cli.command.Converters;
import io.xenondb.cli.local.RepoDir;
import io.xenondb.shared.auth.Claims;
import io.xenondb.shared.auth.Jwt;
import io.xenondb.shared.auth.Scope;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xenon generate-jwt}: signs a token with an Ed25519 private key, for the controller's and the nodes'
 * {@code Authorization: Bearer}. With {@code --new-key-pair} it first writes a key pair (the public half is what
 * {@code --public-key} / {@code --auth-public-key} of the services take).
 */
@Command(
        name = "generate-jwt",
        description = "Print a JWT signed with an Ed25519 private key (Neon's scopes).",
        mixinStandardHelpOptions = true)
public final class GenerateJwtCommand implements Callable<Integer> {
    static final String PRIVATE_KEY = "auth_private_key.pem";
    static final String PUBLIC_KEY = "auth_public_key.pem";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--scope",
            required = true,
            paramLabel = "<scope>",
            converter = ScopeConverter.class,
            description = "admin, pageserverapi, safekeeperdata, generations_api, infra, scrubber, tenant, ...")
    Scope scope;

    @Option(
            names = "--tenant-id",
            paramLabel = "<id>",
            converter = Converters.TenantIds.class,
            description = "the tenant a 'tenant' token is for")
    TenantId tenant;

    @Option(
            names = "--private-key",
            paramLabel = "<pem file>",
            description = "Ed25519 private key in PEM (default: auth_private_key.pem in $XENON_REPO_DIR or ./.xenon)")
    Path privateKey;

    @Option(
            names = "--new-key-pair",
            description = "first write a new key pair: the private key file and auth_public_key.pem beside it"
                    + " (refuses to overwrite)")
    boolean newKeyPair;

    @Override
    public Integer call() throws IOException {
        if (scope == Scope.TENANT && tenant == null) {
            throw usage("--scope tenant needs --tenant-id");
        }
        if (scope != Scope.TENANT && tenant != null) {
            throw usage("--tenant-id goes only with --scope tenant (got --scope " + scope + ")");
        }
        Path keyFile = privateKey != null ? privateKey : RepoDir.resolve().resolve(PRIVATE_KEY);
        if (newKeyPair) {
            writeKeyPair(keyFile);
        }
        String pem;
        try {
            pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw usage("no private key at " + keyFile + " (give --private-key <pem file>, or add --new-key-pair to"
                    + " create one)");
        }
        Claims claims = scope == Scope.TENANT ? Claims.tenant(tenant) : Claims.of(scope);
        spec.commandLine().getOut().println(Jwt.mint(Jwt.privateKey(pem), claims));
        return 0;
    }

    private void writeKeyPair(Path keyFile) throws IOException {
        Path publicFile = keyFile.toAbsolutePath().resolveSibling(PUBLIC_KEY);
        for (Path existing : new Path[] {keyFile, publicFile}) {
            if (Files.exists(existing)) {
                throw usage("--new-key-pair: " + existing + " exists already (remove it, or drop --new-key-pair)");
            }
        }
        var pems = Jwt.generatePem();
        Path parent = keyFile.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(keyFile, pems.get("private"), StandardCharsets.US_ASCII);
        Files.writeString(publicFile, pems.get("public"), StandardCharsets.US_ASCII);
        spec.commandLine().getErr().println("wrote " + keyFile + " and " + publicFile);
    }

    private static XenonException usage(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }

    static final class ScopeConverter implements CommandLine.ITypeConverter<Scope> {
        @Override
        public Scope convert(String value) {
            try {
                return Scope.parse(value);
            } catch (XenonException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a scope (expected one of "
                        + Arrays.stream(Scope.values()).map(Scope::toString).toList() + ")");
            }
        }
    }
}
