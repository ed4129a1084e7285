/**
 * Analysis of phasemap's result tables through Spark SQL. Everything here reads only the Parquet
 * tables under a results root ({@link org.phasemap.tables.ResultTables}), so it works on any root,
 * local or on a cluster, and on results written by any version that kept the column names.
 */
package org.phasemap.jobs;
