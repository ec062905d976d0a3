/**
 * Small programs for each kind of user: a case system, an analyst, an auditor, one family through
 * the whole suite. Not API.
 */
package org.opensdm.examples;
