package org.phasemap.driver.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.phasemap.driver.spec.PlannedRun;
import org.phasemap.driver.spec.SweepCost;
import org.phasemap.driver.spec.SweepPlanner;
import org.phasemap.driver.spec.SweepSpec;
import org.phasemap.driver.spec.SweepSpecParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phasemap plan SPEC}: validates a sweep spec and previews its runs, without training. */
@Command(
    name = "plan",
    header = "Validate a sweep spec, preview its runs and estimate their cost.",
    mixinStandardHelpOptions = true,
    description =
        "Validate a sweep spec and show how many runs it expands to, with a preview of the first ones. Trains nothing.")
final class PlanCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "SPEC",
      description = "Sweep spec (YAML), e.g. conf/sweeps/demo.yaml")
  Path specFile;

  @Option(
      names = "--limit",
      defaultValue = "20",
      description = "Runs to preview (default: ${DEFAULT-VALUE})")
  int limit;

  @Option(
      names = "--ids",
      paramLabel = "FILE",
      description =
          "Also write every run as a line of FILE (tab-separated: index, run_id, axis values),"
              + " built one at a time, so any size fits in memory")
  Path idsFile;

  @Override
  public Integer call() throws IOException {
    long t0 = System.nanoTime();
    SweepSpec spec = SweepSpecParser.parse(specFile);
    System.out.print(SweepPlanner.preview(spec, limit));
    SweepCost cost = SweepCost.of(spec);
    System.out.println();
    System.out.println("cost         " + cost.describe(Runtime.getRuntime().availableProcessors()));
    if (cost.aboveGuard()) {
      System.out.printf(
          "             above the size guard (%d runs or %.0f core-hours): 'run' needs --allow-large%n",
          SweepCost.GUARD_RUNS, SweepCost.GUARD_CORE_HOURS);
    }
    if (idsFile != null) {
      long n = 0;
      try (BufferedWriter w = Files.newBufferedWriter(idsFile, StandardCharsets.UTF_8)) {
        List<String> header = new ArrayList<>(List.of("index", "run_id"));
        spec.axes().forEach(a -> header.add(a.name()));
        if (spec.random() != null) {
          spec.random().axes().forEach(a -> header.add(a.name()));
        }
        w.write(String.join("\t", header));
        w.newLine();
        for (Iterator<PlannedRun> it = SweepPlanner.iterate(spec); it.hasNext(); n++) {
          PlannedRun r = it.next();
          StringBuilder sb = new StringBuilder().append(r.index()).append('\t').append(r.runId());
          r.point().values().forEach(v -> sb.append('\t').append(v));
          w.write(sb.toString());
          w.newLine();
        }
      }
      System.out.printf(
          "Wrote %d runs to %s; validated and planned in %.1f s%n",
          n, idsFile, (System.nanoTime() - t0) / 1e9);
    }
    return 0;
  }
}
