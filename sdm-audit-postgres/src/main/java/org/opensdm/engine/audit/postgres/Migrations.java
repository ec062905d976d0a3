package org.opensdm.engine.audit.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.opensdm.engine.audit.DecisionStoreException;

/** The store's schema, created and upgraded by Flyway from {@code db/sdm-audit-postgres/V*.sql}, its history in the store's schema. */
final class Migrations {
    /** The schema version this library writes and reads. */
    static final String LATEST = "1";
    static final String HISTORY = "flyway_schema_history";

    private Migrations() {
    }

    static String migrate(DataSource dataSource, String schema) {
        try {
            Flyway.configure(Migrations.class.getClassLoader())
                    .dataSource(dataSource)
                    .schemas(schema)
                    .defaultSchema(schema)
                    .createSchemas(true)
                    .table(HISTORY)
                    .locations("classpath:db/sdm-audit-postgres")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new DecisionStoreException("cannot create or upgrade the decision store's schema " + schema + ": "
                    + firstLine(e.getMessage()), e);
        }
        try (Connection c = dataSource.getConnection()) {
            return currentVersion(c, schema);
        } catch (SQLException e) {
            throw new DecisionStoreException("cannot read the decision store's schema " + schema + ": " + Sql.describe(e), e);
        }
    }

    /** The version of the schema's last successful migration, or null when the schema holds no store. */
    static String currentVersion(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?)")) {
            ps.setString(1, PostgresDecisionStore.q(schema) + "." + HISTORY);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) {
                    return null;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM " + PostgresDecisionStore.q(schema) + "." + HISTORY
                + " WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "Flyway failed";
        }
        String s = m.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl).strip();
    }
}
