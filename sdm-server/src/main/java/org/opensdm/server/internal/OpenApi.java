package org.opensdm.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.opensdm.engine.SdmEngine;

/** {@code GET /openapi.json}: the OpenAPI 3.1 document of the service, a resource beside this class, with the engine version filled in. */
final class OpenApi {
    static final String RESOURCE = "/org/opensdm/server/openapi.json";

    private OpenApi() {
    }

    static byte[] document() {
        try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + RESOURCE + " is missing from the sdm-server jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.replace("${engineVersion}", SdmEngine.VERSION).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
