package org.phasemap.driver.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.phasemap.tables.ResultTables;

/**
 * The interactive side of {@code phasemap sql ROOT}: one Spark session for many queries, with line
 * editing and history (JLine), statements over several lines up to a {@code ;}, the commands {@code
 * tables}, {@code describe TABLE}, {@code help} and {@code exit}, the time of every query, and a
 * bad query answered with its first line rather than Spark's whole plan.
 */
final class SqlShell {
  static final String HELP =
      String.join(
          "\n",
          "SQL over the views runs, steps, llc_trace, ib_directions and ib_edges (docs/TABLES.md); end a"
              + " statement with ';'.",
          "  tables            the views and their row counts",
          "  describe TABLE    a view's columns and types",
          "  help              this text",
          "  exit, quit        leave (or Ctrl-D)");

  private final SparkSession spark;
  private final String root;
  private final int maxRows;
  private final int truncate;

  SqlShell(SparkSession spark, String root, int maxRows, int truncate) {
    this.spark = spark;
    this.root = root;
    this.maxRows = maxRows;
    this.truncate = truncate;
  }

  /** Where statements come from: a terminal with line editing, or plain lines (a pipe, a test). */
  interface Lines {
    /** The next line, {@link #CANCEL} when the user pressed Ctrl-C, or null at the end. */
    String read(String prompt) throws IOException;
  }

  /** What {@link Lines#read} returns for Ctrl-C: the statement being typed is dropped. */
  static final String CANCEL = "\u0000cancel";

  /**
   * Reads statements until exit or the end of input: from the terminal with JLine's line editing
   * and history when there is a console, else line by line from standard input (a piped script).
   */
  int runOnConsole(Path history) throws IOException {
    if (System.console() == null) {
      return run(plain(System.in), System.out);
    }
    try (Terminal terminal = TerminalBuilder.builder().name("phasemap sql").system(true).build()) {
      LineReaderBuilder rb = LineReaderBuilder.builder().terminal(terminal);
      if (history != null) {
        rb.variable(LineReader.HISTORY_FILE, history);
      }
      LineReader reader = rb.build();
      Lines lines =
          prompt -> {
            try {
              return reader.readLine(prompt);
            } catch (UserInterruptException e) {
              return CANCEL; // Ctrl-C drops the statement being typed; Ctrl-D or 'exit' leaves
            } catch (EndOfFileException e) {
              return null;
            }
          };
      return run(lines, new PrintStream(terminal.output(), true, StandardCharsets.UTF_8));
    }
  }

  /** Lines of a stream, without prompts. */
  static Lines plain(InputStream in) {
    java.io.BufferedReader r =
        new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
    return prompt -> r.readLine();
  }

  /** The loop: commands, statements up to ';', each executed with its time. */
  int run(Lines lines, PrintStream p) throws IOException {
    ResultTables.register(spark, root);
    p.println("phasemap sql on " + root + ": 'help' for commands, 'exit' to leave.");
    StringBuilder statement = new StringBuilder();
    while (true) {
      String line = lines.read(statement.length() == 0 ? "phasemap> " : "       -> ");
      if (line == null) {
        break;
      }
      if (line.equals(CANCEL)) {
        statement.setLength(0);
        continue;
      }
      String t = line.strip();
      if (statement.length() == 0) {
        String bare = t.replaceAll(";+$", "").strip();
        String word = bare.toLowerCase(Locale.ROOT);
        if (word.equals("exit") || word.equals("quit")) {
          break;
        }
        if (word.isEmpty()) {
          continue;
        }
        if (word.equals("help")) {
          p.println(HELP);
          continue;
        }
        if (word.equals("tables")) {
          tables(p);
          continue;
        }
        if (word.startsWith("describe ") && !word.contains(" from ")) {
          execute("DESCRIBE " + bare.substring(9).strip(), p);
          continue;
        }
      }
      statement.append(line).append('\n');
      if (t.endsWith(";")) {
        String sql = statement.toString().strip();
        statement.setLength(0);
        execute(sql.substring(0, sql.length() - 1), p);
      }
    }
    p.flush();
    return 0;
  }

  private void tables(PrintStream p) {
    for (String view :
        List.of(
            ResultTables.RUNS,
            ResultTables.STEPS,
            ResultTables.LLC_TRACE,
            ResultTables.IB_DIRECTIONS,
            ResultTables.IB_EDGES)) {
      if (spark.catalog().tableExists(view)) {
        p.printf("  %-13s %d rows%n", view, spark.table(view).count());
      }
    }
  }

  /** Runs one statement and prints its result (or the first line of its error) and its time. */
  void execute(String sql, PrintStream p) {
    long t0 = System.nanoTime();
    try {
      Dataset<Row> result = spark.sql(sql);
      List<Row> rows = result.limit(maxRows + 1).collectAsList();
      p.print(format(result, rows));
      p.printf(
          Locale.ROOT,
          "(%s in %.2f s)%n",
          rows.size() > maxRows
              ? "first " + maxRows + " rows"
              : rows.size() + (rows.size() == 1 ? " row" : " rows"),
          (System.nanoTime() - t0) / 1e9);
    } catch (Exception e) {
      p.println("Error: " + firstLine(e));
    }
  }

  /** The first non-blank line of an exception's message (Spark's messages go on with the plan). */
  static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    return m.lines()
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .findFirst()
        .orElse(e.getClass().getSimpleName());
  }

  /** A plain text table of at most maxRows rows, numbers right-aligned. */
  String format(Dataset<Row> result, List<Row> rows) {
    StructField[] fields = result.schema().fields();
    int n = Math.min(rows.size(), maxRows);
    List<String[]> cells = new ArrayList<>();
    int[] width = new int[fields.length];
    for (int c = 0; c < fields.length; c++) {
      width[c] = fields[c].name().length();
    }
    for (int r = 0; r < n; r++) {
      String[] line = new String[fields.length];
      for (int c = 0; c < fields.length; c++) {
        Object v = rows.get(r).get(c);
        String s =
            v == null
                ? "NULL"
                : v instanceof scala.collection.Seq<?> seq
                    ? seq.mkString("[", ", ", "]")
                    : v.toString();
        if (truncate > 0 && s.length() > truncate) {
          s = s.substring(0, Math.max(0, truncate - 3)) + "...";
        }
        line[c] = s;
        width[c] = Math.max(width[c], s.length());
      }
      cells.add(line);
    }
    StringBuilder sb = new StringBuilder();
    StringBuilder rule = new StringBuilder("+");
    for (int w : width) {
      rule.append("-".repeat(w + 2)).append('+');
    }
    sb.append(rule).append('\n').append('|');
    for (int c = 0; c < fields.length; c++) {
      sb.append(' ').append(pad(fields[c].name(), width[c], false)).append(" |");
    }
    sb.append('\n').append(rule).append('\n');
    for (String[] line : cells) {
      sb.append('|');
      for (int c = 0; c < fields.length; c++) {
        boolean number = fields[c].dataType() instanceof org.apache.spark.sql.types.NumericType;
        sb.append(' ').append(pad(line[c], width[c], number)).append(" |");
      }
      sb.append('\n');
    }
    sb.append(rule).append('\n');
    return sb.toString();
  }

  private static String pad(String s, int w, boolean right) {
    String fill = " ".repeat(w - s.length());
    return right ? fill + s : s + fill;
  }
}
