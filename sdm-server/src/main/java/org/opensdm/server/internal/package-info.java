/** The HTTP service on Javalin and Jetty, its metrics, OpenAPI document and workbench files: not API. */
package org.opensdm.server.internal;
