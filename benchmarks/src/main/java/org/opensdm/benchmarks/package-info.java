/** JMH benchmarks of the engine (see benchmarks/README.md). Not API. */
package org.opensdm.benchmarks;
