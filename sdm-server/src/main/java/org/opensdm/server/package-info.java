/**
 * The engine behind HTTP ({@link org.opensdm.server.SdmServer}), and what {@code sdm} shares with it:
 * failures as problem lists ({@link org.opensdm.server.Problems}), JSON Lines batches
 * ({@link org.opensdm.server.JsonLinesBatch}), bearer tokens and decision stores. No Javalin, Jetty,
 * Micrometer or Jackson type appears in this package's signatures; the HTTP code is in
 * {@code org.opensdm.server.internal}, which is not API.
 */
package org.opensdm.server;
