/**
 * The {@code sdm} command (picocli): not API; run it as {@code ./sdm} or {@code java -jar sdm.jar}.
 */
package org.opensdm.cli;
