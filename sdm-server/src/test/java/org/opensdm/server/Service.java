package org.opensdm.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.opensdm.engine.SdmEngine;
import org.opensdm.engine.json.SdmJson;

/** A service on a free loopback port, and a client for it (JDK HttpClient, HTTP/1.1). */
final class Service implements AutoCloseable {
    /** The shipped rulesets, every version compiled, shared by every test of this JVM. */
    static final SdmEngine SHIPPED = SdmEngine.builder().classpathRulesets().build().compileAll();

    final SdmServer server;
    final URI base;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private Service(SdmServer server) {
        this.server = server;
        this.base = server.uri();
    }

    static Service start() {
        return start(b -> b);
    }

    static Service start(UnaryOperator<SdmServer.Builder> settings) {
        return new Service(settings.apply(SdmServer.builder(SHIPPED).port(0)).build().start());
    }

    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) SdmJson.readPlain(text());
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> problems() {
            return (List<Map<String, Object>>) json().get("problems");
        }
    }

    Response get(String path, String... headers) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), headers);
    }

    Response post(String path, String contentType, String body, String... headers) {
        return post(path, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    Response post(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b, headers);
    }

    Response send(String method, String path, String... headers) {
        return send(HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody()), headers);
    }

    Response send(HttpRequest.Builder b, String... headers) {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> r = client.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        server.close();
    }
}
