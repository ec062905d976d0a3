package org.opensdm.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The analyst workbench served at {@code /}: one page, its script and its style sheet, resources
 * beside this class, read once. Nothing is fetched from elsewhere (no CDN): the page's
 * Content-Security-Policy allows this service alone.
 */
final class Workbench {
    static final String FOLDER = "/org/opensdm/server/workbench/";

    /** A file of the workbench: its media type and content. */
    record Asset(String contentType, byte[] bytes) {
    }

    private Workbench() {
    }

    static Map<String, Asset> assets() {
        Map<String, Asset> a = new LinkedHashMap<>();
        a.put("index.html", read("index.html", "text/html; charset=utf-8"));
        a.put("workbench.js", read("workbench.js", "text/javascript; charset=utf-8"));
        a.put("workbench.css", read("workbench.css", "text/css; charset=utf-8"));
        return Map.copyOf(a);
    }

    private static Asset read(String name, String type) {
        try (InputStream in = Workbench.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("the workbench resource " + FOLDER + name + " is missing from the sdm-server jar");
            }
            return new Asset(type, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
