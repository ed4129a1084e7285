package org.phasemap.jobs;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.phasemap.tables.ResultTables;

/** Runs one SQL query against the {@code runs} and {@code steps} views of a results root. */
public final class SqlQuery {
  private SqlQuery() {}

  /** Registers the views of {@code root} and returns the query's result. */
  public static Dataset<Row> run(SparkSession spark, String root, String query) {
    ResultTables.register(spark, root);
    return spark.sql(query);
  }
}
