package org.phasemap.driver.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.phasemap.driver.spark.Sessions;
import org.phasemap.jobs.SqlQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phasemap sql ROOT QUERY}: runs Spark SQL over the runs and steps views. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Run a Spark SQL query over a results root and print the result as a table.",
      "Views: runs (one row per run) and steps (one row per logged step). See docs/TABLES.md."
    })
final class SqlCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "ROOT", description = "Results root written by 'phasemap run'")
  String root;

  @Parameters(index = "1", paramLabel = "QUERY", description = "SQL, e.g. \"SELECT status, count(*) FROM runs GROUP BY status\"")
  String query;

  @Option(names = "--max-rows", defaultValue = "100", description = "Rows to print (default: ${DEFAULT-VALUE})")
  int maxRows;

  @Option(names = "--truncate", defaultValue = "60",
      description = "Cut cell text to this many characters, 0 for none (default: ${DEFAULT-VALUE})")
  int truncate;

  @Override
  public Integer call() {
    SparkSession spark = Sessions.create("phasemap sql");
    try {
      Dataset<Row> result = SqlQuery.run(spark, root, query);
      result.show(maxRows, truncate, false);
      return 0;
    } finally {
      spark.stop();
    }
  }
}
