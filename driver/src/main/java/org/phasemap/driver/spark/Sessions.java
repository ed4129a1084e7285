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
