package org.opensdm.server;

/**
 * The service cannot start as configured: bound beyond this machine without a bearer token, a
 * token too short or unreadable, a limit out of range, or the address cannot be listened on. The
 * message says what to change; {@code sdm serve} prints it and exits 2.
 */
public final class ServerConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ServerConfigException(String message) {
        super(message);
    }

    public ServerConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
