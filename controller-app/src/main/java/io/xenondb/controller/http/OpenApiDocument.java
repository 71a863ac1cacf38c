package io.xenondb.controller.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /openapi.yaml}: the OpenAPI 3 description of this API, written by hand next to the code
 * ({@code resources/openapi/storage-controller.yaml}); a test keeps it and the router in step. No auth.
 */
@RestController
public class OpenApiDocument {
    static final String RESOURCE = "/openapi/storage-controller.yaml";

    private final String document = load();

    @GetMapping("/openapi.yaml")
    public ResponseEntity<String> document() {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/yaml"))
                .body(document);
    }

    static String load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
