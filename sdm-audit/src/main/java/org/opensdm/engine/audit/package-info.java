/**
 * Auditing: tamper-evident decision records, the decision log, and replay.
 *
 * <ul>
 *   <li>{@link org.opensdm.engine.audit.DecisionRecord}: one decision as recorded (request,
 *       decision with trail, ruleset id, version and sha256, engine version, {@code recordedAt},
 *       sequence number, previous record's hash, own hash). Its layout and how to recompute its
 *       hash are in its Javadoc.</li>
 *   <li>{@link org.opensdm.engine.audit.CanonicalJson}: the canonical JSON form the hash is
 *       computed over (the RFC 8785 form for the values records hold).</li>
 *   <li>{@link org.opensdm.engine.audit.DecisionLog}: an append-only JSON Lines file of records
 *       chained by hash; durable appends, one appending process at a time whatever name it
 *       reaches the log by, verification that locates edited, deleted, inserted and reordered
 *       records and a torn last line, and, against a noted {@link org.opensdm.engine.audit.LogHead},
 *       a log cut short or rewritten.</li>
 *   <li>{@link org.opensdm.engine.audit.Replay}: re-decides recorded decisions under the exact
 *       ruleset version (checked by content hash) and compares outcome, overrides and trail.</li>
 * </ul>
 */
package org.opensdm.engine.audit;
