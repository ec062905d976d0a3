/**
 * Not API: the only code that touches Drools (compiling a version, running a session, the audit
 * listener) and the ruleset sandbox (the static allowlist check and the class loader). May change
 * in any release; ArchUnit keeps Drools types out of every other package.
 */
package org.opensdm.engine.internal.drools;
