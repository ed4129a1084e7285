package org.phasemap.driver.cli;

import java.io.PrintWriter;
import org.phasemap.worker.Provenance;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code phasemap} command line. */
@Command(
    name = "phasemap",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Maps which algorithm small transformers learn on modular addition, over sweeps of training runs on Spark.",
    subcommands = {
      PlanCommand.class,
      RunCommand.class,
      SqlCommand.class,
      MapCommand.class,
      CurvesCommand.class,
      ReportCommand.class,
      StatsCommand.class,
      AnalyzeCommand.class,
      LlcCalibrateCommand.class,
      ExportCommand.class,
      ReplayCommand.class,
      BenchCommand.class,
      MigrateCommand.class,
      CompactCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** {@code phasemap} without a command is a usage error: the usage goes to stderr, exit 2. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Columns of --help when the terminal's width is unknown (pipes, CI logs). */
  static final int HELP_WIDTH = 110;

  /** Runs the CLI and returns its exit code: 0 ok, 1 runtime failure, 2 bad input. */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new Main());
    // the descriptions are written as lines of up to about 100 characters; wider terminals get more
    cl.setUsageHelpWidth(HELP_WIDTH);
    cl.setUsageHelpAutoWidth(true);
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          PrintWriter err = cmd.getErr();
          err.println("phasemap: " + e.getMessage());
          err.flush();
          return e instanceof IllegalArgumentException ? 2 : 1;
        });
    return cl.execute(args);
  }

  /** Version line with the commit the jar was built from. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "phasemap " + Provenance.codeVersion() + " (" + Provenance.gitCommit() + ")"
      };
    }
  }
}
