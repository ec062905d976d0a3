package org.opensdm.server.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before a request reaches the service's routes (a malformed request
 * line, headers too large, a URI it refuses): the same problem JSON as every other error, without
 * Jetty's HTML page, its version or a stack trace.
 */
final class JettyErrors extends ErrorHandler {
    JettyErrors() {
        setShowStacks(false);
        setShowCauses(false);
        setShowMessageInTitle(false);
        setShowOrigin(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        HttpProblem p = problem(code);
        response.setStatus(p.status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, HttpProblem.MEDIA_TYPE);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(p.body()), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, HttpProblem.MEDIA_TYPE));
        return ByteBuffer.wrap(problem(status).body());
    }

    /** The problem for a status Jetty answers with; the reason it gives is not passed on (it can quote the request). */
    static HttpProblem problem(int status) {
        return switch (status) {
            case 404 -> HttpProblem.of(404, "not-found", "Not found", "$", "nothing is served at this path");
            case 405 -> HttpProblem.of(405, "method-not-allowed", "Method not allowed", "$", "this path does not take this method");
            case 413 -> HttpProblem.of(413, "request-too-large", "Request too large", "$", "the request is larger than the service takes");
            case 414 -> HttpProblem.of(414, "request-too-large", "URI too long", "$", "the request's URI is longer than the service takes");
            case 431 -> HttpProblem.of(431, "request-too-large", "Request header fields too large", "$",
                    "the request's header fields are larger than the service takes");
            default -> status >= 500
                    ? HttpProblem.of(status, "internal", "Internal error", "$", "internal error (the service's log has the details)")
                    : HttpProblem.of(status, "bad-http", "Bad HTTP request", "$", "the request is not well-formed HTTP (status " + status + ")");
        };
    }
}
