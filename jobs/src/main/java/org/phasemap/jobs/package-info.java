/**
 * Analysis of phasemap's result tables through Spark SQL, and the shared pieces every picture and
 * query uses. Everything in this module reads only the Parquet tables under a results root ({@link
 * org.phasemap.tables.ResultTables}), so it works on any root, local or on a cluster, and on
 * results written by any version that kept the column names. {@link org.phasemap.jobs.SqlQuery}
 * runs one query over the views and {@link org.phasemap.jobs.OutputDir} is the folder (local or any
 * Hadoop URI, {@code ROOT/_maps} by default) pictures and pages go to.
 *
 * <p>Dependencies: {@code org.phasemap.tables} (every column name, the layout and the views; the
 * label and status vocabularies come through it from the worker's {@code AlgorithmLabel} and {@code
 * RunStatus}), Spark SQL and Hadoop's file system API (Spark is {@code provided}). Nothing of
 * {@code org.phasemap.driver}; no ND4J call, although the worker's jar is on the classpath.
 */
package org.phasemap.jobs;
