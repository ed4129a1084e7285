package org.phasemap.driver.spec;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.phasemap.driver.refine.RefineSettings;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.analysis.AnalysisOptions;
import org.phasemap.worker.io.RunInputs;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a sweep spec from YAML and validates all of it, every run of the grid included, so that a
 * bad spec fails before any training starts.
 *
 * <p>The format, with every top-level key:
 *
 * <pre>{@code
 * name: demo               # required: 1-64 chars of [a-z0-9_-], starting with a letter or digit
 * description: small demo  # optional free text
 * seed: 7                  # optional 64-bit integer, default 0; default of init_seed and data_seed
 * preset: zhong2023        # required: nanda2023 | zhong2023
 * fixed:                   # optional: run fields with one value each
 *   modulus: 23
 * grid:                    # optional: axes, expanded as a cartesian product in the order written
 *   attention_rate: [0.0, 0.5, 1.0]
 *   init_seed: [0, 1]
 * random:                  # optional: random axes, each point combined with every grid point
 *   samples: 64
 *   sequence: sobol        # sobol | halton | uniform
 *   axes:
 *     d_model: log_uniform(32, 512, step=4)
 * refine:                  # optional: extra runs where labels change (docs/SAMPLING.md)
 *   budget: 300
 *   axes: [d_model, attention_rate]
 * }</pre>
 *
 * <p>Run fields and their allowed values are those of {@link RunConfig#FIELDS}. Errors are {@link
 * SweepSpecException}s whose message gives the place in the spec ({@code fixed.modulus}, {@code
 * grid.attention_rate[2]}, or the failing grid point) before the problem. YAML is loaded with
 * SnakeYAML's safe constructor (plain maps, lists and scalars only) and duplicate keys are
 * rejected, since YAML would otherwise silently keep the last one.
 */
public final class SweepSpecParser {
  private SweepSpecParser() {}

  /** The keys allowed at the top level of a spec, in documentation order. */
  public static final List<String> TOP_LEVEL_KEYS =
      List.of(
          "name", "description", "seed", "preset", "fixed", "grid", "random", "refine", "analysis");

  /**
   * Reads and parses a spec file (UTF-8). The path as given is the source named in errors.
   *
   * @throws SweepSpecException if the file cannot be read or the spec is invalid
   */
  public static SweepSpec parse(Path file) {
    String source = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw SweepSpecException.unreadable(source, "no such file", e);
    } catch (AccessDeniedException e) {
      throw SweepSpecException.unreadable(source, "permission denied", e);
    } catch (CharacterCodingException e) {
      throw SweepSpecException.unreadable(source, "the file is not UTF-8 text", e);
    } catch (IOException e) {
      throw SweepSpecException.unreadable(
          source,
          Files.isDirectory(file) ? "it is a directory" : String.valueOf(e.getMessage()),
          e);
    }
    Path parent = file.toAbsolutePath().getParent();
    return parse(text, source, parent == null ? Path.of("") : parent);
  }

  /**
   * Parses and validates a spec.
   *
   * @param yamlText the spec, kept as {@link SweepSpec#sourceText()}
   * @param sourceName where the text came from, named in error messages
   * @throws SweepSpecException if the YAML does not parse or the spec is invalid
   */
  public static SweepSpec parse(String yamlText, String sourceName) {
    return parse(yamlText, sourceName, Path.of(""));
  }

  /**
   * The analysis settings of a stored spec (its {@code analysis} section, or the defaults), without
   * resolving anything else: for replaying a run of it.
   */
  public static org.phasemap.worker.analysis.AnalysisOptions analysisOf(
      String yamlText, String source) {
    Map<String, Object> top = topLevel(load(yamlText, source), source);
    return AnalysisSection.parse(top.get("analysis"), source);
  }

  /**
   * Parses and validates a spec whose relative file references ({@code init_weights}, {@code
   * split}) are relative to {@code base}.
   */
  public static SweepSpec parse(String yamlText, String sourceName, Path base) {
    Objects.requireNonNull(yamlText, "yamlText");
    String source = Objects.requireNonNull(sourceName, "sourceName");
    Map<String, Object> top = topLevel(load(yamlText, source), source);

    String name = name(top, source);
    rejectPresetIn("fixed", top.get("fixed"), source);
    rejectPresetIn("grid", top.get("grid"), source);
    RunConfig.Preset preset = preset(top, source);
    long seed = seed(top.get("seed"), source);
    String description = description(top.get("description"), source);
    Map<String, Object> fixed = fixed(top.get("fixed"), source, base);
    List<Axis> axes = axes(top.get("grid"), source, base);
    for (Axis axis : axes) {
      if (fixed.containsKey(axis.name())) {
        String field = axis.name();
        throw SweepSpecException.invalid(
            source,
            String.format(
                "grid.%s: %s is set both in fixed and in grid; keep it in one of them",
                field, field));
      }
    }
    RandomAxes random = RandomSection.parse(top.get("random"), source);
    if (random != null) {
      for (RandomAxes.Axis axis : random.axes()) {
        String field = axis.name();
        boolean inGrid = axes.stream().anyMatch(a -> a.name().equals(field));
        if (inGrid || fixed.containsKey(field)) {
          throw SweepSpecException.invalid(
              source,
              String.format(
                  "random.axes.%s: %s is set both in %s and in random; keep it in one of them",
                  field, field, inGrid ? "grid" : "fixed"));
        }
      }
    }
    checkRunCount(axes, random, source);
    RefineSettings refine = RefineSection.parse(top.get("refine"), axes, random, seed, source);
    AnalysisOptions analysis = AnalysisSection.parse(top.get("analysis"), source);

    SweepSpec spec;
    try {
      spec =
          new SweepSpec(
              name, description, seed, preset, fixed, axes, yamlText, analysis, random, refine);
    } catch (IllegalArgumentException e) {
      // Unreachable after the checks above, which give the better messages; kept as a backstop.
      throw SweepSpecException.invalid(source, e.getMessage());
    }
    SweepPlanner.validate(spec, source);
    return spec;
  }

  private static Object load(String yamlText, String source) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    try {
      return new Yaml(new SafeConstructor(options)).load(yamlText);
    } catch (MarkedYAMLException e) {
      throw SweepSpecException.unparsable(source, describe(e), e);
    } catch (YAMLException e) {
      throw SweepSpecException.unparsable(source, String.valueOf(e.getMessage()), e);
    }
  }

  /** "line L, column C: problem (context at line L, column C)", 1-based as editors count. */
  private static String describe(MarkedYAMLException e) {
    StringBuilder sb = new StringBuilder();
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    if (mark != null) {
      sb.append(at(mark)).append(": ");
    }
    sb.append(e.getProblem() != null ? e.getProblem() : e.getContext());
    if (e.getProblem() != null && e.getContext() != null) {
      sb.append(" (").append(e.getContext());
      if (e.getContextMark() != null) {
        sb.append(" at ").append(at(e.getContextMark()));
      }
      sb.append(')');
    }
    return sb.toString();
  }

  private static String at(Mark mark) {
    return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
  }

  private static Map<String, Object> topLevel(Object document, String source) {
    if (document == null) {
      throw SweepSpecException.invalid(
          source,
          "the spec is empty; expected a mapping with keys " + String.join(", ", TOP_LEVEL_KEYS));
    }
    if (!(document instanceof Map<?, ?> map)) {
      throw SweepSpecException.invalid(
          source,
          "the top level must be a mapping with keys "
              + String.join(", ", TOP_LEVEL_KEYS)
              + " (got "
              + kind(document)
              + " "
              + shown(document)
              + ")");
    }
    Map<String, Object> top = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (!(e.getKey() instanceof String) || !TOP_LEVEL_KEYS.contains(key)) {
        throw SweepSpecException.invalid(
            source,
            "unknown top-level key '"
                + key
                + "'"
                + Suggest.didYouMean(key, TOP_LEVEL_KEYS)
                + " (allowed: "
                + String.join(", ", TOP_LEVEL_KEYS)
                + ")");
      }
      top.put(key, e.getValue());
    }
    return top;
  }

  private static String name(Map<String, Object> top, String source) {
    if (!top.containsKey("name")) {
      throw SweepSpecException.invalid(
          source,
          "missing required key 'name' (1-64 characters of [a-z0-9_-], starting with a letter or"
              + " digit)");
    }
    Object value = top.get("name");
    if (!(value instanceof String name) || !SweepSpec.NAME_PATTERN.matcher(name).matches()) {
      String hint =
          value instanceof String || value == null ? "" : "; quote it if it looks like a number";
      throw SweepSpecException.invalid(
          source,
          "name: must be 1-64 characters of [a-z0-9_-], starting with a letter or digit"
              + hint
              + " (got "
              + shown(value)
              + ")");
    }
    return name;
  }

  private static void rejectPresetIn(String section, Object node, String source) {
    if (node instanceof Map<?, ?> map && map.containsKey("preset")) {
      throw SweepSpecException.invalid(
          source,
          section
              + ".preset: the preset is a top-level key, one per sweep (write 'preset: "
              + map.get("preset")
              + "' at the top level); to compare presets, run one sweep each");
    }
  }

  private static RunConfig.Preset preset(Map<String, Object> top, String source) {
    RunConfig.Field field = RunConfig.field("preset");
    if (!top.containsKey("preset")) {
      throw SweepSpecException.invalid(
          source, "missing required key 'preset' (allowed: " + field.allowed() + ")");
    }
    try {
      return RunConfig.Preset.of((String) field.check(RunConfig.coerce(field, top.get("preset"))));
    } catch (IllegalArgumentException e) {
      throw SweepSpecException.invalid(source, "preset: " + e.getMessage());
    }
  }

  private static long seed(Object value, String source) {
    if (value == null) {
      return 0L;
    }
    try {
      return (Long) RunConfig.coerce(RunConfig.field("init_seed"), value);
    } catch (IllegalArgumentException e) {
      throw SweepSpecException.invalid(
          source, "seed: must be a 64-bit integer (got " + shown(value) + ")");
    }
  }

  private static String description(Object value, String source) {
    if (value == null) {
      return "";
    }
    if (!(value instanceof String text)) {
      throw SweepSpecException.invalid(
          source,
          "description: must be text; quote it (got " + kind(value) + " " + shown(value) + ")");
    }
    return text;
  }

  private static Map<String, Object> fixed(Object node, String source, Path base) {
    Map<String, Object> fixed = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : fields("fixed", node, "value", source).entrySet()) {
      String path = "fixed." + e.getKey();
      Object value = e.getValue();
      if (value instanceof List<?>) {
        throw SweepSpecException.invalid(
            source,
            path
                + ": a fixed field takes one value; to sweep over several, move it to grid (got "
                + shown(value)
                + ")");
      }
      fixed.put(e.getKey(), value(path, e.getKey(), value, source, base));
    }
    return fixed;
  }

  private static List<Axis> axes(Object node, String source, Path base) {
    List<Axis> axes = new ArrayList<>();
    for (Map.Entry<String, Object> e : fields("grid", node, "list of values", source).entrySet()) {
      String path = "grid." + e.getKey();
      if (!(e.getValue() instanceof List<?> list) || list.isEmpty()) {
        throw SweepSpecException.invalid(
            source,
            path + ": an axis needs a non-empty list of values (got " + shown(e.getValue()) + ")");
      }
      List<Object> values = new ArrayList<>(list.size());
      Map<Object, Integer> seen = new HashMap<>();
      for (int i = 0; i < list.size(); i++) {
        Object value = value(path + "[" + i + "]", e.getKey(), list.get(i), source, base);
        Integer earlier = seen.putIfAbsent(value, i);
        if (earlier != null) {
          throw SweepSpecException.invalid(
              source,
              path
                  + "["
                  + i
                  + "]: duplicate value "
                  + value
                  + " (also at ["
                  + earlier
                  + "]); the"
                  + " values of an axis must be distinct, or the same run would be planned twice");
        }
        values.add(value);
      }
      axes.add(new Axis(e.getKey(), values));
    }
    return axes;
  }

  /** The entries of a {@code fixed} or {@code grid} mapping, with every key a known run field. */
  private static Map<String, Object> fields(
      String section, Object node, String what, String source) {
    Map<String, Object> fields = new LinkedHashMap<>();
    if (node == null) {
      return fields;
    }
    if (!(node instanceof Map<?, ?> map)) {
      throw SweepSpecException.invalid(
          source,
          section
              + ": must be a mapping from run field to "
              + what
              + " (got "
              + kind(node)
              + " "
              + shown(node)
              + ")");
    }
    List<String> allowed = new ArrayList<>(RunConfig.fieldNames());
    allowed.remove("preset");
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (!(e.getKey() instanceof String) || !allowed.contains(key)) {
        throw SweepSpecException.invalid(
            source,
            section
                + "."
                + key
                + ": unknown run field"
                + Suggest.didYouMean(key, allowed)
                + " (allowed: "
                + String.join(", ", allowed)
                + ")");
      }
      fields.put(key, e.getValue());
    }
    return fields;
  }

  /**
   * Converts a value to its field's type and checks it against the field's declaration ({@link
   * RunConfig.Field#check}), naming its path. A file reference is first resolved to its absolute
   * path and content hash (relative to {@code base}). Rules that tie fields together are checked
   * for every run by {@link SweepPlanner#validate}.
   */
  private static Object value(String path, String name, Object raw, String source, Path base) {
    RunConfig.Field field = RunConfig.field(name);
    try {
      Object value = RunConfig.coerce(field, raw);
      if (RunInputs.FILE_FIELDS.contains(name)) {
        value = RunInputs.resolve(name, (String) value, base);
      }
      return field.check(value);
    } catch (IllegalArgumentException e) {
      throw SweepSpecException.invalid(source, path + ": " + e.getMessage());
    }
  }

  private static void checkRunCount(List<Axis> axes, RandomAxes random, String source) {
    long count = 1;
    List<String> sizes = new ArrayList<>();
    for (Axis axis : axes) {
      sizes.add(axis.name() + " " + axis.size());
      count =
          count > SweepSpec.MAX_RUNS ? count : count * axis.size(); // saturates, never overflows
    }
    if (random != null) {
      sizes.add("random " + random.samples());
      count = count > SweepSpec.MAX_RUNS ? count : count * random.samples();
    }
    if (count > SweepSpec.MAX_RUNS) {
      throw SweepSpecException.invalid(
          source,
          (random == null ? "grid: the axes" : "random.samples: the grid times the random samples")
              + " give more than "
              + SweepSpec.MAX_RUNS
              + " runs, the limit for one sweep"
              + " (got "
              + String.join(" x ", sizes)
              + ")");
    }
  }

  private static String kind(Object value) {
    if (value instanceof Map<?, ?>) {
      return "a mapping";
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    if (value instanceof String) {
      return "text";
    }
    if (value instanceof Number) {
      return "a number";
    }
    return value instanceof Boolean ? "a boolean" : "a " + value.getClass().getSimpleName();
  }

  /** A value as quoted in a message: strings in quotes, long values cut. */
  private static String shown(Object value) {
    String text = value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }
}
