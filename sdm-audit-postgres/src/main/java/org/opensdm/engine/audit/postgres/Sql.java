package org.opensdm.engine.audit.postgres;

import java.sql.SQLException;
import java.util.Set;

/** What a failed SQL statement means for the store: worth another try, and how to say it in one line. */
final class Sql {
    /** Server shut down or restarting, or the backend terminated; a serialization failure or deadlock; too many connections. */
    private static final Set<String> TRANSIENT = Set.of("57P01", "57P02", "57P03", "40001", "40P01", "53300");

    private Sql() {
    }

    /** The connection broke or the server went away (or a retryable conflict): the transaction rolled back, another try may succeed. */
    static boolean transient_(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                for (SQLException n = s; n != null; n = n.getNextException()) {
                    String state = n.getSQLState();
                    if (state != null && (state.startsWith("08") || TRANSIENT.contains(state))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The first line of the message (of the batch's own cause, for a failed batch) and its SQLSTATE. */
    static String describe(SQLException e) {
        SQLException s = e.getNextException() != null ? e.getNextException() : e;
        String m = s.getMessage() == null ? s.getClass().getSimpleName() : s.getMessage().strip();
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl).strip();
        }
        return m + (s.getSQLState() == null ? "" : " (SQLSTATE " + s.getSQLState() + ")");
    }
}
