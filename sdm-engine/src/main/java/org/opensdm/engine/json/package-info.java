/**
 * JSON in and out, on Jackson: {@link org.opensdm.engine.json.SdmJson} is the one reader (requests
 * with their shape problems named by JSON path, decision log lines, any JSON a tool reads, into
 * plain Java values) and the one writer (decisions byte for byte the same for the same input,
 * their plain and canonical forms derived from it); and the text checks shared with the CLI
 * ({@link org.opensdm.engine.json.Printable}). No Jackson type appears in a public signature.
 */
package org.opensdm.engine.json;
