package org.phasemap.driver;

import org.apache.spark.sql.SparkSession;

/** The embedded Spark of the driver's tests: local mode on loopback, no UI. */
public final class LocalSpark {
  private LocalSpark() {}

  /** A builder for {@code local[cores]} named {@code appName}; add settings, then getOrCreate. */
  public static SparkSession.Builder builder(String appName, int cores) {
    return SparkSession.builder()
        .master("local[" + cores + "]")
        .appName(appName)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1");
  }
}
