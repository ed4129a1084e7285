package org.phasemap.driver.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.phasemap.worker.RunConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * How one random axis maps a coordinate u in [0, 1) of the unit cube to a run field value, parsed
 * from the text of a spec ({@code uniform(0, 1)}, {@code log_uniform(32, 512)}, {@code
 * int_uniform(1, 4)}, {@code choice([relu, gelu])}).
 *
 * <ul>
 *   <li>{@code uniform(a, b)}: a + u (b − a).
 *   <li>{@code log_uniform(a, b)}, 0 &lt; a: a (b / a)^u, so every factor of 2 gets the same share.
 *   <li>{@code int_uniform(a, b)}: the integers a..b each with share 1 / (b − a + 1), as ⌊a + u (b
 *       − a + 1)⌋; integer fields only.
 *   <li>{@code choice([v1, ..., vn])}: v_⌊u n⌋, each with share 1 / n; any field type.
 *   <li>{@code choice([v1, ..., vn], weights=[w1, ..., wn])}: v_i with share w_i / Σ w, the first
 *       value whose cumulative share exceeds u (so the papers' unequal draws, e.g. one layer with
 *       probability 7/16, are written as they are).
 * </ul>
 *
 * <p>On an integer field, {@code uniform} and {@code log_uniform} round the continuous value to the
 * nearest multiple of {@code step} (default 1; half rounds up), clamped to the multiples inside [a,
 * b]. So {@code log_uniform(32, 512, step=4)} gives widths that 4 heads divide, and the two end
 * values get half the share of the others. Write {@code int_uniform} for equal shares.
 *
 * @param kind the form
 * @param low the lower bound (uniform, log_uniform, int_uniform); 0 for choice
 * @param high the upper bound (uniform, log_uniform, int_uniform); 0 for choice
 * @param step the rounding multiple on integer fields; 1 otherwise
 * @param choices the values of a choice, converted to the field's type; empty otherwise
 * @param cumulative for a weighted choice, the cumulative shares (the last is 1); empty otherwise
 * @param text the expression as written in the spec, trimmed
 */
public record Distribution(
    Distribution.Kind kind,
    double low,
    double high,
    long step,
    List<Object> choices,
    List<Double> cumulative,
    String text)
    implements java.io.Serializable {

  /** The forms a distribution may take. */
  public enum Kind {
    UNIFORM("uniform"),
    LOG_UNIFORM("log_uniform"),
    INT_UNIFORM("int_uniform"),
    CHOICE("choice");

    private final String specName;

    Kind(String specName) {
      this.specName = specName;
    }

    /** The function name in a spec. */
    public String specName() {
      return specName;
    }
  }

  /** The allowed forms, as quoted in error messages. */
  public static final String FORMS =
      "uniform(low, high), log_uniform(low, high), int_uniform(low, high), choice([v1, v2, ...]),"
          + " choice([v1, v2, ...], weights=[w1, w2, ...]);"
          + " on integer fields uniform and log_uniform also take step=N";

  private static final Pattern CALL = Pattern.compile("([a-z_]+)\\s*\\((.*)\\)", Pattern.DOTALL);
  private static final Pattern DECIMAL =
      Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
  private static final Pattern STEP = Pattern.compile("step\\s*=\\s*(\\S+)");
  private static final Pattern WEIGHTED =
      Pattern.compile("(\\[.*\\])\\s*,\\s*weights\\s*=\\s*(.*)", Pattern.DOTALL);

  /** Copies the choices. */
  public Distribution {
    Objects.requireNonNull(kind, "kind");
    choices = List.copyOf(choices);
    cumulative = List.copyOf(cumulative);
    text = Objects.requireNonNull(text, "text");
  }

  /**
   * Parses {@code text} for {@code field}, checking the form, the numbers and the field's type.
   * Whether the values are in the field's range is checked by the caller.
   *
   * @throws IllegalArgumentException with the problem alone; the caller prefixes the place
   */
  public static Distribution parse(String text, RunConfig.Field field) {
    String t = text.strip();
    Matcher call = CALL.matcher(t);
    if (!call.matches()) {
      throw bad(t, "expected a function call");
    }
    String name = call.group(1);
    String args = call.group(2).strip();
    Kind kind = null;
    for (Kind k : Kind.values()) {
      if (k.specName.equals(name)) {
        kind = k;
      }
    }
    if (kind == null) {
      throw bad(t, "unknown distribution '" + name + "'" + Suggest.didYouMean(name, kindNames()));
    }
    boolean integer = field.type() == RunConfig.Type.INT || field.type() == RunConfig.Type.LONG;
    boolean numeric = integer || field.type() == RunConfig.Type.DOUBLE;
    if (kind == Kind.CHOICE) {
      Matcher weighted = WEIGHTED.matcher(args);
      if (weighted.matches()) {
        List<Object> values = choices(t, weighted.group(1).strip(), field);
        return new Distribution(
            kind, 0, 0, 1, values, cumulative(t, weighted.group(2).strip(), values.size()), t);
      }
      return new Distribution(kind, 0, 0, 1, choices(t, args, field), List.of(), t);
    }
    if (!numeric) {
      throw bad(
          t,
          name
              + " needs a numeric field, and "
              + field.name()
              + " is "
              + field.type().name().toLowerCase(Locale.ROOT)
              + "; use choice([...])");
    }
    String[] parts = args.split(",", -1);
    long step = 1;
    int numbers = parts.length;
    if (parts.length == 3 && kind != Kind.INT_UNIFORM) {
      Matcher m = STEP.matcher(parts[2].strip());
      if (!m.matches()) {
        throw bad(t, "the third argument must be step=N");
      }
      if (!integer) {
        throw bad(t, "step=N rounds integer fields, and " + field.name() + " is a number");
      }
      try {
        step = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        step = 0;
      }
      if (step < 1) {
        throw bad(t, "step must be a positive integer (got " + m.group(1) + ")");
      }
      numbers = 2;
    }
    if (numbers != 2) {
      throw bad(t, name + " takes two numbers, low and high");
    }
    double low = number(t, parts[0]);
    double high = number(t, parts[1]);
    if (!(low < high)) {
      throw bad(t, "low must be below high; for a single value use fixed");
    }
    if (kind == Kind.LOG_UNIFORM && !(low > 0)) {
      throw bad(t, "log_uniform needs 0 < low");
    }
    if (kind == Kind.INT_UNIFORM) {
      if (!integer) {
        throw bad(
            t,
            "int_uniform needs an integer field, and "
                + field.name()
                + " is a number; use uniform");
      }
      if (low != Math.rint(low) || high != Math.rint(high)) {
        throw bad(t, "int_uniform takes integer bounds");
      }
    }
    if (integer && kind != Kind.INT_UNIFORM && Math.ceil(low / step) > Math.floor(high / step)) {
      throw bad(t, "no multiple of " + step + " lies in [" + plain(low) + ", " + plain(high) + "]");
    }
    return new Distribution(kind, low, high, step, List.of(), List.of(), t);
  }

  /**
   * The value for coordinate u in [0, 1), of the field's type.
   *
   * @param field the field this distribution was parsed for
   */
  public Object value(double u, RunConfig.Field field) {
    switch (kind) {
      case CHOICE:
        if (!cumulative.isEmpty()) {
          for (int i = 0; i < choices.size() - 1; i++) {
            if (u < cumulative.get(i)) {
              return choices.get(i);
            }
          }
          return choices.get(choices.size() - 1);
        }
        return choices.get(Math.min((int) (u * choices.size()), choices.size() - 1));
      case INT_UNIFORM:
        {
          long v = (long) Math.floor(low + u * (high - low + 1));
          return typed(Math.min(v, (long) high), field);
        }
      default:
        double x =
            kind == Kind.UNIFORM
                ? low + u * (high - low)
                : low * Math.exp(u * Math.log(high / low));
        if (field.type() == RunConfig.Type.DOUBLE) {
          return Math.min(Math.max(x, low), high);
        }
        long lo = (long) Math.ceil(low / step);
        long hi = (long) Math.floor(high / step);
        long k = Math.min(Math.max((long) Math.floor(x / step + 0.5), lo), hi);
        return typed(k * step, field);
    }
  }

  /** The smallest and the largest value this distribution gives, or every choice, for checking. */
  public List<Object> extremes(RunConfig.Field field) {
    if (kind == Kind.CHOICE) {
      return choices;
    }
    return field.type() == RunConfig.Type.DOUBLE
        ? List.of(low, high) // values stay below high, but a bound out of range is a mistake
        : List.of(value(0, field), value(Math.nextDown(1.0), field));
  }

  /**
   * Where a value lies on this axis, in [0, 1]: linear for uniform and int_uniform, logarithmic for
   * log_uniform, the choice's position i / (n − 1) for a choice. The inverse of {@link #value} up
   * to rounding; refinement measures distances in these coordinates.
   */
  public double unit(Object value) {
    if (kind == Kind.CHOICE) {
      int i = choices.indexOf(value);
      return choices.size() == 1 ? 0.5 : (double) Math.max(i, 0) / (choices.size() - 1);
    }
    double x = ((Number) value).doubleValue();
    double u =
        kind == Kind.LOG_UNIFORM
            ? Math.log(x / low) / Math.log(high / low)
            : (x - low) / (high - low);
    return Math.min(Math.max(u, 0), 1);
  }

  private static Object typed(long v, RunConfig.Field field) {
    return field.type() == RunConfig.Type.INT ? (Object) (int) v : (Object) v;
  }

  private static List<Object> choices(String t, String args, RunConfig.Field field) {
    if (!args.startsWith("[") || !args.endsWith("]")) {
      throw bad(t, "choice takes one list, choice([v1, v2, ...])");
    }
    Object list;
    try {
      list = new Yaml(new SafeConstructor(new LoaderOptions())).load(args);
    } catch (YAMLException e) {
      throw bad(t, "the list of choices does not parse");
    }
    if (!(list instanceof List<?> items) || items.isEmpty()) {
      throw bad(t, "choice needs at least one value");
    }
    List<Object> values = new ArrayList<>();
    Set<Object> seen = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      Object v;
      try {
        v = RunConfig.coerce(field, items.get(i));
      } catch (IllegalArgumentException e) {
        throw bad(t, "choice " + i + ": " + e.getMessage());
      }
      if (!seen.add(v)) {
        throw bad(t, "choice " + i + ": duplicate value " + v + "; the choices must be distinct");
      }
      values.add(v);
    }
    return values;
  }

  /** Cumulative shares of {@code weights=[w1, ...]}: positive numbers, one per choice. */
  private static List<Double> cumulative(String t, String text, int count) {
    if (!text.startsWith("[") || !text.endsWith("]")) {
      throw bad(t, "weights takes one list, weights=[w1, w2, ...]");
    }
    String[] parts = text.substring(1, text.length() - 1).split(",", -1);
    if (parts.length != count) {
      throw bad(t, parts.length + " weights for " + count + " choices; give one weight per choice");
    }
    double[] w = new double[count];
    double total = 0;
    for (int i = 0; i < count; i++) {
      w[i] = number(t, parts[i]);
      if (!(w[i] > 0)) {
        throw bad(t, "weight " + i + " is " + parts[i].strip() + "; weights must be positive");
      }
      total += w[i];
    }
    List<Double> out = new ArrayList<>();
    double sum = 0;
    for (int i = 0; i < count; i++) {
      sum += w[i];
      out.add(i == count - 1 ? 1.0 : sum / total);
    }
    return out;
  }

  private static double number(String t, String s) {
    if (DECIMAL.matcher(s.strip()).matches()) {
      double v = Double.parseDouble(s.strip());
      if (Double.isFinite(v)) {
        return v;
      }
    }
    throw bad(t, "'" + s.strip() + "' is not a number");
  }

  private static List<String> kindNames() {
    List<String> names = new ArrayList<>();
    for (Kind k : Kind.values()) {
      names.add(k.specName);
    }
    return names;
  }

  private static String plain(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException(
        "cannot read '" + text + "': " + why + " (allowed forms: " + FORMS + ")");
  }

  @Override
  public String toString() {
    return text;
  }
}
