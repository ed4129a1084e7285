package org.phasemap.driver.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Creates the Spark session of a CLI command: embedded {@code local[*]} unless a master is set. */
public final class Sessions {
  private Sessions() {}

  /**
   * A session named {@code appName}. When no {@code spark.master} was given (by spark-submit's
   * {@code --master} or a {@code -Dspark.master} flag) it runs embedded on {@code local[*]}.
   * Executors get {@code OMP_NUM_THREADS=1} (each task trains one run on one core) and {@code
   * MALLOC_ARENA_MAX=2} (bounded native memory).
   */
  public static SparkSession create(String appName) {
    SparkConf conf = new SparkConf();
    SparkSession.Builder b = SparkSession.builder().appName(appName);
    if (!conf.contains("spark.master")) {
      b.master("local[*]");
    }
    if (conf.get("spark.master", "local[*]").startsWith("local")) {
      // embedded (scripts/phasemap's default, where spark-submit sets local[*]): no web UI to
      // start,
      // and few shuffle partitions for tables of thousands of rows
      b.config("spark.ui.enabled", conf.get("spark.ui.enabled", "false"));
      b.config("spark.sql.shuffle.partitions", conf.get("spark.sql.shuffle.partitions", "8"));
      // running tasks report their steps with heartbeats: every 2 s rather than 10, for the
      // progress
      b.config(
          "spark.executor.heartbeatInterval", conf.get("spark.executor.heartbeatInterval", "2s"));
    }
    // column lists of the runs table are long; Spark would warn on every plan it prints
    b.config(
        "spark.sql.debug.maxToStringFields", conf.get("spark.sql.debug.maxToStringFields", "1000"));
    if (!conf.contains("spark.executorEnv.OMP_NUM_THREADS")) {
      b.config("spark.executorEnv.OMP_NUM_THREADS", "1");
    }
    if (!conf.contains("spark.executorEnv.MALLOC_ARENA_MAX")) {
      // few malloc arenas keep freed ND4J memory reusable (docs/CLUSTER.md, "Memory")
      b.config("spark.executorEnv.MALLOC_ARENA_MAX", "2");
    }
    b.config("spark.ui.showConsoleProgress", "false");
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
