/**
 * The decision store on PostgreSQL: {@link org.opensdm.engine.audit.postgres.PostgresDecisionStore},
 * a {@link org.opensdm.engine.audit.DecisionStore} whose records are the log file's, byte for byte,
 * appended by any number of writers in any number of JVMs through a {@code DataSource} the
 * application hands in; its schema created and upgraded by Flyway.
 */
package org.opensdm.engine.audit.postgres;
