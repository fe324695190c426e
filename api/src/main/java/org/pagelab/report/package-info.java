/**
 * The report of a run, as {@code pagelab run} prints it (text or one JSON object), shared by the
 * command line and the Java API ({@link org.pagelab.api.Lab#json()}) so that both print the same
 * bytes. Internal: the API is {@code org.pagelab.api}.
 */
package org.pagelab.report;
