package org.phasemap.driver.cli;

import java.nio.file.Path;
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
    header = "Run Spark SQL over a results root, one query or an interactive shell.",
    mixinStandardHelpOptions = true,
    description = {
      "Run a Spark SQL query over a results root and print the result as a table; without a query,",
      "open an interactive shell (one Spark session for many queries, line editing, history in",
      "~/.phasemap_sql_history, 'tables', 'describe TABLE', statements end with ';').",
      "Views: runs (one row per run), steps (one row per logged step), llc_trace, ib_directions,"
          + " ib_edges (when a sweep measures them). See docs/TABLES.md."
    })
final class SqlCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "ROOT",
      description = "Results root written by 'phasemap run'")
  String root;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "QUERY",
      description =
          "SQL, e.g. \"SELECT status, count(*) FROM runs GROUP BY status\"; none: the shell")
  String query;

  @Option(
      names = "--max-rows",
      defaultValue = "100",
      description = "Rows to print (default: ${DEFAULT-VALUE})")
  int maxRows;

  @Option(
      names = "--truncate",
      defaultValue = "60",
      description = "Cut cell text to this many characters, 0 for none (default: ${DEFAULT-VALUE})")
  int truncate;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = Sessions.create("phasemap sql");
    try {
      if (query == null) {
        Path history = Path.of(System.getProperty("user.home"), ".phasemap_sql_history");
        return new SqlShell(spark, root, maxRows, truncate).runOnConsole(history);
      }
      Dataset<Row> result;
      try {
        result = SqlQuery.run(spark, root, query);
      } catch (Exception e) { // Spark throws its checked AnalysisException undeclared
        if (e instanceof org.apache.spark.sql.AnalysisException) {
          throw new IllegalArgumentException(
              "Cannot run the query: " + SqlShell.firstLine(e) + " (got " + query + ")", e);
        }
        throw e;
      }
      result.show(maxRows, truncate, false);
      return 0;
    } finally {
      spark.stop();
    }
  }
}
