package org.phasemap.driver.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.phasemap.driver.spec.SweepPlanner;
import org.phasemap.driver.spec.SweepSpec;
import org.phasemap.driver.spec.SweepSpecParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phasemap plan SPEC}: validates a sweep spec and previews its runs, without training. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = "Validate a sweep spec and show how many runs it expands to, with a preview of the first ones. Trains nothing.")
final class PlanCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SPEC", description = "Sweep spec (YAML), e.g. conf/sweeps/demo.yaml")
  Path specFile;

  @Option(names = "--limit", defaultValue = "20", description = "Runs to preview (default: ${DEFAULT-VALUE})")
  int limit;

  @Override
  public Integer call() {
    SweepSpec spec = SweepSpecParser.parse(specFile);
    System.out.print(SweepPlanner.preview(spec, limit));
    return 0;
  }
}
