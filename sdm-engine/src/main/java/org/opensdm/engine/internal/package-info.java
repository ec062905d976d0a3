/**
 * Not API: request validation behind {@link org.opensdm.engine.SdmEngine}. May change in any
 * release; an ArchUnit rule keeps every other package of the engine out of it.
 */
package org.opensdm.engine.internal;
