/**
 * Analysis of phasemap's result tables through Spark SQL, and the shared pieces every picture and
 * query uses. Everything in this module reads only the Parquet tables under a results root, so it
 * works on any root, local or on a cluster, and on results written by any version that kept the
 * column names. {@link org.phasemap.jobs.ResultTables} is the layout of a root (the {@code runs},
 * {@code steps} and {@code llc_trace} tables, final and checkpoint weights, {@code _sweeps/}) and
 * registers the views, each table other than {@code runs} restricted to committed runs; the driver
 * writes through the same paths, so writer and reader cannot disagree. {@link
 * org.phasemap.jobs.SqlQuery} runs one query over the views, {@link org.phasemap.jobs.Labels} is
 * the label vocabulary in display order, and {@link org.phasemap.jobs.OutputDir} is the folder
 * (local or any Hadoop URI, {@code ROOT/_maps} by default) pictures and pages go to.
 *
 * <p>Dependencies: Spark SQL and Hadoop's file system API (Spark is {@code provided}). Nothing of
 * {@code org.phasemap.worker} or {@code org.phasemap.driver}: this module does not see ND4J, and
 * knows the tables only by their column names.
 */
package org.phasemap.jobs;
