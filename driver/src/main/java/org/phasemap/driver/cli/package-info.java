/**
 * The {@code phasemap} command line (picocli): {@link org.phasemap.driver.cli.Main} and one class
 * per command: {@code plan} (validate a spec, preview and cost its runs), {@code run} (train what a
 * root does not hold yet, then any refinement rounds), {@code sql} (one query, or {@code SqlShell},
 * a JLine shell on one Spark session), {@code map}, {@code curves}, {@code report}, {@code analyze}
 * (measure and label a model from files), {@code llc-calibrate}, {@code export}, {@code replay}
 * (train a committed run again and compare its steps bit for bit) and {@code bench}. Commands are
 * thin: they parse and check their options before Spark starts ({@code RunIds}), open the session
 * through {@code spark.Sessions}, and call {@code spec}, {@code spark}, the {@code jobs} module or
 * the worker. Exit codes: 0 ok, 1 runtime failure, 2 bad input.
 *
 * <p>Dependencies: every other driver package except {@code sampling} and {@code refine} ({@code
 * output} only in {@code replay}, which rebuilds {@code steps} rows to compare them), every package
 * of {@code jobs}, and most of the worker (the commands that work on one run or model: {@code
 * analyze}, {@code llc-calibrate}, {@code export}, {@code replay}, {@code bench}); Spark SQL,
 * Hadoop, picocli and JLine. The top of the dependency graph: nothing imports it.
 */
package org.phasemap.driver.cli;
