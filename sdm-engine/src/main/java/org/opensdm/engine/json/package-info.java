/**
 * JSON in and out: reading requests (with their shape problems named by JSON path), writing
 * decisions byte for byte the same for the same input, and the text checks shared with the CLI
 * ({@link org.opensdm.engine.json.Printable}).
 */
package org.opensdm.engine.json;
