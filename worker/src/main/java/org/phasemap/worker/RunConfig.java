package org.phasemap.worker;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.phasemap.worker.io.RunInputs;

/**
 * The fully resolved configuration of one training run: everything needed to train it again, bit
 * for bit on the same backend, and nothing else.
 *
 * <p>A run's identity ({@link #runId()}) is a hash of every field, so the same configuration always
 * gets the same id, whichever sweep it came from. Field names are the snake_case names used in
 * sweep specs and as columns of the {@code runs} table.
 *
 * <p>Each field is declared once, in {@link #FIELDS}: its name, type, meaning, allowed values,
 * default per preset and accessor. The defaults, {@link #fromMap(Map)}, {@link #toMap()}, the sweep
 * parser's checks of single values and the field table of docs/SPEC.md all come from these
 * declarations. Build configurations with {@link #fromMap(Map)}, which checks every field against
 * its declaration before it calls the canonical constructor; the constructor checks the rules that
 * tie fields together (d_model divisible by n_heads, intervals at most steps, a train_fraction that
 * leaves both sets non-empty), each in one place.
 */
public record RunConfig(
    Preset preset,
    int modulus,
    int dModel,
    int nHeads,
    int dMlp,
    int nLayers,
    Activation activation,
    double attentionRate,
    boolean causal,
    boolean equalsToken,
    double trainFraction,
    double lr,
    double weightDecay,
    double beta1,
    double beta2,
    double adamEps,
    int warmupSteps,
    int steps,
    long initSeed,
    long dataSeed,
    int logInterval,
    int checkpointInterval,
    Precision precision,
    String initWeights,
    String split)
    implements java.io.Serializable {

  /** Version of the identity scheme; bump it only if the meaning of a field changes. */
  public static final String ID_SCHEME = "phasemap-run-v1";

  /** The most steps a run may take; also the largest log and checkpoint interval on their own. */
  private static final int MAX_STEPS = 10_000_000;

  /** Value types a run field can hold, as written in specs and table columns. */
  public enum Type {
    INT,
    LONG,
    DOUBLE,
    BOOLEAN,
    STRING
  }

  /**
   * A value of an enumerated field. In specs, table columns and run ids it is spelled as the
   * constant's name in lower case ({@code nanda2023}, {@code relu}, {@code float32}), which is also
   * what the enums' {@code toString()} returns; the field's {@link Type} is {@code STRING}.
   */
  public interface Choice {
    /** The constant's name, as every enum has it. */
    String name();

    /** The spelling in specs, table columns and run ids: the name in lower case. */
    default String specName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant of {@code type} spelled {@code specName}.
     *
     * @throws IllegalArgumentException naming the spelling and the allowed ones
     */
    static <E extends Enum<E> & Choice> E of(Class<E> type, String specName) {
      for (E e : type.getEnumConstants()) {
        if (e.specName().equals(specName)) {
          return e;
        }
      }
      throw new IllegalArgumentException(
          "Unknown "
              + type.getSimpleName()
              + ": "
              + specName
              + " (allowed: "
              + Allowed.spellingsOf(type).text()
              + ")");
    }
  }

  /** Model and training family (SCIENCE.md sections 1.1-1.2 and 2.1): defaults and init scheme. */
  public enum Preset implements Choice {
    /** Nanda et al. 2023: p = 113, causal, an '=' token, 30 % of pairs for training. */
    NANDA2023,
    /** Zhong et al. 2023: p = 59, no mask, no '=' token, 80 % of pairs for training. */
    ZHONG2023;

    /** The preset spelled {@code specName}, e.g. {@code zhong2023}. */
    public static Preset of(String specName) {
      return Choice.of(Preset.class, specName);
    }

    @Override
    public String toString() {
      return specName();
    }
  }

  /** The MLP non-linearity. */
  public enum Activation implements Choice {
    /** max(x, 0). */
    RELU,
    /** GeLU in PyTorch's exact form, 0.5 x (1 + erf(x / sqrt 2)). */
    GELU;

    /** The activation spelled {@code specName}, e.g. {@code gelu}. */
    public static Activation of(String specName) {
      return Choice.of(Activation.class, specName);
    }

    @Override
    public String toString() {
      return specName();
    }
  }

  /** The floating-point type of weights and activations. */
  public enum Precision implements Choice {
    /** IEEE-754 single precision. */
    FLOAT32,
    /** IEEE-754 double precision. */
    FLOAT64;

    /** The precision spelled {@code specName}, e.g. {@code float64}. */
    public static Precision of(String specName) {
      return Choice.of(Precision.class, specName);
    }

    @Override
    public String toString() {
      return specName();
    }
  }

  /**
   * The declaration of one run field: its name, type, meaning, allowed values, default per preset
   * and accessor. Values are handled as specs and table columns hold them: {@link Integer}, {@link
   * Long}, {@link Double}, {@link Boolean} or {@link String}, an enumerated field's value being its
   * spelling ({@link Choice#specName()}).
   */
  public static final class Field {
    private final String name;
    private final Type type;
    private final String description;
    private final String allowed;
    private final Predicate<Object> permits;
    private final Function<RunConfig, Object> column;
    private final Function<Object, Object> component;
    private final Class<?> choices;
    private final Map<Preset, Object> defaults;
    private final String defaultRule;
    private final Function<Map<String, Object>, Object> derivedDefault;

    private <C> Field(
        String name,
        Type type,
        Class<C> columnClass,
        String description,
        Allowed<C> allowed,
        Function<RunConfig, C> column,
        Function<C, ?> component,
        Class<?> choices,
        Default dflt) {
      this.name = name;
      this.type = type;
      this.description = description;
      this.allowed = allowed.text();
      this.permits = v -> columnClass.isInstance(v) && allowed.permits(columnClass.cast(v));
      this.column = column::apply;
      this.component = v -> component.apply(columnClass.cast(v));
      this.choices = choices;
      this.defaults = new EnumMap<>(Preset.class);
      dflt.byPreset().forEach((p, v) -> defaults.put(p, coerce(this, v)));
      this.defaultRule = dflt.rule();
      this.derivedDefault = dflt.derive();
    }

    /** The snake_case name, as in specs and table columns. */
    public String name() {
      return name;
    }

    /** The type of its values in specs and table columns. */
    public Type type() {
      return type;
    }

    /** What the field means, as docs/SPEC.md explains it. */
    public String description() {
      return description;
    }

    /** What it allows on its own, as messages and docs/SPEC.md say it. */
    public String allowed() {
      return allowed;
    }

    /**
     * Returns {@code value}, already of the field's type ({@link RunConfig#coerce}), if the field
     * allows it on its own.
     *
     * @throws IllegalArgumentException "Invalid NAME: VALUE (allowed: ALLOWED)" otherwise
     */
    public Object check(Object value) {
      if (!permits.test(value)) {
        throw invalid(value);
      }
      return value;
    }

    /** The field's value in {@code config}, as specs and table columns hold it. */
    public Object valueOf(RunConfig config) {
      return column.apply(config);
    }

    /**
     * The default value under {@code preset}, as specs and table columns hold it; {@code null} for
     * the preset itself and for a default derived from other fields ({@link #defaultRule()}).
     */
    public Object defaultValue(Preset preset) {
      return defaults.get(preset);
    }

    /** How the default follows from other fields ({@code "4 × d_model"}); {@code null} if not. */
    public String defaultRule() {
      return defaultRule;
    }

    @Override
    public String toString() {
      return name;
    }

    private IllegalArgumentException invalid(Object value) {
      return new IllegalArgumentException(
          "Invalid " + name + ": " + value + " (allowed: " + allowed + ")");
    }
  }

  /** How a field defaults: one value per preset, or a rule over the other fields, or neither. */
  private record Default(
      Map<Preset, Object> byPreset, String rule, Function<Map<String, Object>, Object> derive) {}

  /** The run field {@code preset}. */
  public static final Field PRESET =
      choice(
          "preset",
          Preset.class,
          "model/training family: sets defaults and the init scheme",
          RunConfig::preset,
          none());

  /** The run field {@code modulus}. */
  public static final Field MODULUS =
      integer(
          "modulus",
          "the modulus p of a + b mod p",
          Allowed.oddIntegers(3, 1000),
          RunConfig::modulus,
          byPreset(113, 59));

  /** The run field {@code d_model}. */
  public static final Field D_MODEL =
      integer(
          "d_model",
          "residual stream width",
          Allowed.integers(2, 4096).noting("divisible by n_heads"),
          RunConfig::dModel,
          always(128));

  /** The run field {@code n_heads}. */
  public static final Field N_HEADS =
      integer(
          "n_heads",
          "attention heads (d_head = d_model / n_heads)",
          Allowed.integers(1, 64),
          RunConfig::nHeads,
          always(4));

  /** The run field {@code d_mlp}. */
  public static final Field D_MLP =
      integer(
          "d_mlp",
          "MLP hidden width (default 4 * d_model)",
          Allowed.integers(1, 16384),
          RunConfig::dMlp,
          derived("4 × d_model", m -> 4 * (Integer) m.get("d_model")));

  /** The run field {@code n_layers}. */
  public static final Field N_LAYERS =
      integer(
          "n_layers", "transformer blocks", Allowed.integers(1, 16), RunConfig::nLayers, always(1));

  /** The run field {@code activation}. */
  public static final Field ACTIVATION =
      choice(
          "activation",
          Activation.class,
          "MLP non-linearity",
          RunConfig::activation,
          always(Activation.RELU));

  /** The run field {@code attention_rate}. */
  public static final Field ATTENTION_RATE =
      number(
          "attention_rate",
          "alpha in A' = alpha*softmax(QK^T/sqrt(d_head)) + (1-alpha)*J",
          Allowed.closed(0, 1),
          RunConfig::attentionRate,
          always(1.0));

  /** The run field {@code causal}. */
  public static final Field CAUSAL =
      bool("causal", "causal attention mask", RunConfig::causal, byPreset(true, false));

  /** The run field {@code equals_token}. */
  public static final Field EQUALS_TOKEN =
      bool(
          "equals_token",
          "inputs are (a, b, =) rather than (a, b)",
          RunConfig::equalsToken,
          byPreset(true, false));

  /** The run field {@code train_fraction}. */
  public static final Field TRAIN_FRACTION =
      number(
          "train_fraction",
          "share of the p^2 pairs used for training",
          Allowed.open(0, 1),
          RunConfig::trainFraction,
          byPreset(0.3, 0.8));

  /** The run field {@code lr}. */
  public static final Field LR =
      number("lr", "AdamW learning rate", Allowed.openClosed(0, 10), RunConfig::lr, always(1e-3));

  /** The run field {@code weight_decay}. */
  public static final Field WEIGHT_DECAY =
      number(
          "weight_decay",
          "AdamW decoupled weight decay",
          Allowed.closed(0, 100),
          RunConfig::weightDecay,
          byPreset(1.0, 2.0));

  /** The run field {@code beta1}. */
  public static final Field BETA1 =
      number(
          "beta1",
          "AdamW first-moment decay",
          Allowed.closedOpen(0, 1),
          RunConfig::beta1,
          always(0.9));

  /** The run field {@code beta2}. */
  public static final Field BETA2 =
      number(
          "beta2",
          "AdamW second-moment decay",
          Allowed.closedOpen(0, 1),
          RunConfig::beta2,
          always(0.98));

  /** The run field {@code adam_eps}. */
  public static final Field ADAM_EPS =
      number("adam_eps", "AdamW epsilon", Allowed.open(0, 1), RunConfig::adamEps, always(1e-8));

  /** The run field {@code warmup_steps}. */
  public static final Field WARMUP_STEPS =
      integer(
          "warmup_steps",
          "linear warm-up: lr multiplier min(s / warmup_steps, 1), s = steps taken",
          Allowed.integers(0, 1_000_000),
          RunConfig::warmupSteps,
          always(10));

  /** The run field {@code steps}. */
  public static final Field STEPS =
      integer(
          "steps",
          "full-batch optimiser steps",
          Allowed.integers(1, MAX_STEPS),
          RunConfig::steps,
          byPreset(40000, 20000));

  /**
   * The run field {@code init_seed}; a sweep gives its runs the sweep seed unless the spec sets
   * these.
   */
  public static final Field INIT_SEED =
      longInteger(
          "init_seed",
          "seed of the weight initialisation",
          Allowed.anyLong(),
          RunConfig::initSeed,
          always(0L));

  /** The run field {@code data_seed}. */
  public static final Field DATA_SEED =
      longInteger(
          "data_seed",
          "seed of the train/test split",
          Allowed.anyLong(),
          RunConfig::dataSeed,
          always(0L));

  /** The run field {@code log_interval}. */
  public static final Field LOG_INTERVAL =
      integer(
          "log_interval",
          "steps between logged rows of the steps table",
          Allowed.integersUpTo(1, "steps", MAX_STEPS),
          RunConfig::logInterval,
          always(100));

  /** The run field {@code checkpoint_interval}. */
  public static final Field CHECKPOINT_INTERVAL =
      integer(
          "checkpoint_interval",
          "steps between checkpoints (0 = final only)",
          Allowed.integersUpTo(0, "steps", MAX_STEPS),
          RunConfig::checkpointInterval,
          always(0));

  /** The run field {@code precision}. */
  public static final Field PRECISION =
      choice(
          "precision",
          Precision.class,
          "floating-point type of weights and activations",
          RunConfig::precision,
          always(Precision.FLOAT32));

  /** The run field {@code init_weights}. */
  public static final Field INIT_WEIGHTS =
      text(
          "init_weights",
          "initial weights from files instead of init_seed (docs/IMPORT.md layout)",
          Allowed.matching(
              "empty, or a model folder or .npz; recorded as PATH@sha256:HEX", RunInputs::isValid),
          RunConfig::initWeights,
          always(""));

  /** The run field {@code split}. */
  public static final Field SPLIT =
      text(
          "split",
          "train/test split from files instead of data_seed",
          Allowed.matching(
              "empty, or a folder with train_rows.npy and test_rows.npy; recorded as"
                  + " PATH@sha256:HEX",
              RunInputs::isValid),
          RunConfig::split,
          always(""));

  /** Every run field in canonical (column) order, the order of the record's components. */
  public static final List<Field> FIELDS =
      List.of(
          PRESET,
          MODULUS,
          D_MODEL,
          N_HEADS,
          D_MLP,
          N_LAYERS,
          ACTIVATION,
          ATTENTION_RATE,
          CAUSAL,
          EQUALS_TOKEN,
          TRAIN_FRACTION,
          LR,
          WEIGHT_DECAY,
          BETA1,
          BETA2,
          ADAM_EPS,
          WARMUP_STEPS,
          STEPS,
          INIT_SEED,
          DATA_SEED,
          LOG_INTERVAL,
          CHECKPOINT_INTERVAL,
          PRECISION,
          INIT_WEIGHTS,
          SPLIT);

  private static final Map<String, Field> BY_NAME = byName();

  /** The canonical constructor, whose parameters are the fields in {@link #FIELDS} order. */
  private static final Constructor<RunConfig> CANONICAL = canonicalConstructor();

  /** Checks the rules that tie fields together; each field alone is checked by {@link #fromMap}. */
  public RunConfig {
    if (dModel % nHeads != 0) {
      throw new IllegalArgumentException(
          "Invalid d_model: "
              + dModel
              + " (allowed: "
              + field("d_model").allowed()
              + "; n_heads is "
              + nHeads
              + ")");
    }
    if (logInterval > steps) {
      throw field("log_interval").invalid(logInterval);
    }
    if (checkpointInterval > steps) {
      throw field("checkpoint_interval").invalid(checkpointInterval);
    }
    int pairs = modulus * modulus;
    int train = trainSize(pairs, trainFraction);
    if (train < 1 || train >= pairs) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "Cannot use train_fraction %s with modulus %d: it leaves %d of %d pairs for training; "
                  + "both the train and the test set must be non-empty",
              trainFraction,
              modulus,
              train,
              pairs));
    }
  }

  /** The declaration of a field by its snake_case name. */
  public static Field field(String name) {
    Field f = BY_NAME.get(name);
    if (f == null) {
      throw new IllegalArgumentException("Unknown run field: " + name);
    }
    return f;
  }

  /** Number of training pairs for a data set of {@code pairs} pairs: floor(fraction * pairs). */
  public static int trainSize(int pairs, double fraction) {
    return (int) Math.floor(fraction * pairs);
  }

  /** Training pairs of this run. */
  public int trainSize() {
    return trainSize(modulus * modulus, trainFraction);
  }

  /** Tokens per input: 3 for (a, b, =), 2 for (a, b). */
  public int contextLength() {
    return equalsToken ? 3 : 2;
  }

  /** Input vocabulary: the p numbers, plus the '=' token when present. */
  public int inputVocab() {
    return equalsToken ? modulus + 1 : modulus;
  }

  /** Width of one attention head. */
  public int dHead() {
    return dModel / nHeads;
  }

  /**
   * Defaults of a preset (SCIENCE.md section 1.1-1.2 and 2.1), as field name to value in {@link
   * #FIELDS} order, the preset included; {@code d_mlp} is absent, since it follows {@code d_model}.
   * Unmodifiable.
   */
  public static Map<String, Object> presetDefaults(Preset preset) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", preset.specName());
    for (Field f : FIELDS) {
      Object v = f.defaultValue(preset);
      if (v != null) {
        m.put(f.name(), v);
      }
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * Builds a configuration from field values: {@code preset} (default {@code nanda2023}) picks the
   * defaults, the given values override them, and {@code d_mlp} defaults to 4 * d_model. Values may
   * be any {@link Number}, {@link Boolean} or {@link String} of the field's type, or the enum
   * constant of an enumerated field. Every field is checked against its declaration, in {@link
   * #FIELDS} order, and then the rules that tie fields together; the first failure is thrown as an
   * {@link IllegalArgumentException} that names the field, the value and what is allowed.
   */
  public static RunConfig fromMap(Map<String, ?> values) {
    Field presetField = FIELDS.get(0);
    Preset preset =
        values.containsKey("preset")
            ? Preset.of((String) presetField.check(coerce(presetField, values.get("preset"))))
            : Preset.NANDA2023;
    Map<String, Object> m = new HashMap<>(presetDefaults(preset));
    for (Map.Entry<String, ?> e : values.entrySet()) {
      Field f = field(e.getKey());
      m.put(f.name(), coerce(f, e.getValue()));
    }
    Object[] args = new Object[FIELDS.size()];
    for (int i = 0; i < args.length; i++) {
      Field f = FIELDS.get(i);
      Object v = m.containsKey(f.name()) ? m.get(f.name()) : f.derivedDefault.apply(m);
      args[i] = f.component.apply(f.check(v));
    }
    try {
      return CANONICAL.newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r; // a cross-field rule, as the constructor wrote it
      }
      throw new IllegalStateException("Cannot create run config", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot create run config", e);
    }
  }

  /**
   * Converts a value to the type of field {@code f}, or throws naming the field, the value and the
   * expected type. Integral numbers are accepted for DOUBLE fields; a DOUBLE value with a fraction
   * is rejected for INT and LONG fields. An enumerated field takes its spelling or its constant and
   * gives the spelling. Whether the value is allowed is {@link Field#check}'s question.
   */
  public static Object coerce(Field f, Object v) {
    String bad = "Invalid " + f.name() + ": " + v + " is not ";
    switch (f.type()) {
      case INT, LONG -> {
        if (v instanceof Integer
            || v instanceof Long
            || v instanceof Short
            || v instanceof Byte
            || v instanceof java.math.BigInteger) {
          long l = ((Number) v).longValue();
          if (v instanceof java.math.BigInteger b && b.bitLength() > 63) {
            throw new IllegalArgumentException(bad + "a 64-bit integer");
          }
          if (f.type() == Type.INT) {
            if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
              throw new IllegalArgumentException(
                  bad + "a 32-bit integer (allowed: " + f.allowed() + ")");
            }
            return (int) l;
          }
          return l;
        }
        if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 9e15) {
          return f.type() == Type.INT ? (Object) (int) (double) d : (Object) (long) (double) d;
        }
        throw new IllegalArgumentException(bad + "an integer (allowed: " + f.allowed() + ")");
      }
      case DOUBLE -> {
        if (v instanceof Number n) {
          double d = n.doubleValue();
          if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException(
                bad + "a finite number (allowed: " + f.allowed() + ")");
          }
          return d;
        }
        throw new IllegalArgumentException(bad + "a number (allowed: " + f.allowed() + ")");
      }
      case BOOLEAN -> {
        if (v instanceof Boolean b) {
          return b;
        }
        throw new IllegalArgumentException(bad + "true or false");
      }
      case STRING -> {
        if (v instanceof String s) {
          return s;
        }
        if (f.choices != null && f.choices.isInstance(v)) {
          return ((Choice) v).specName();
        }
        throw new IllegalArgumentException(bad + "a string (allowed: " + f.allowed() + ")");
      }
      default -> throw new AssertionError(f.type());
    }
  }

  /**
   * Every field as snake_case name to value, in {@link #FIELDS} order; enumerated fields as their
   * spelling. Unmodifiable.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Field f : FIELDS) {
      m.put(f.name(), f.valueOf(this));
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * The canonical text hashed into the run id: sorted {@code name=value} lines, doubles written as
   * their IEEE-754 bit pattern so that the id does not depend on how a JVM prints numbers. A file
   * field ({@code init_weights}, {@code split}) enters as its content hash alone, and not at all
   * when empty, so runs planned before these fields existed keep their ids.
   */
  public String canonicalText() {
    StringBuilder sb = new StringBuilder(ID_SCHEME).append('\n');
    for (Map.Entry<String, Object> e : new TreeMap<>(toMap()).entrySet()) {
      Object v = e.getValue();
      if (RunInputs.FILE_FIELDS.contains(e.getKey())) {
        if (((String) v).isEmpty()) {
          continue;
        }
        v = RunInputs.identity((String) v);
      }
      String text =
          v instanceof Double d
              ? "d:" + Long.toHexString(Double.doubleToLongBits(d))
              : String.valueOf(v);
      sb.append(e.getKey()).append('=').append(text).append('\n');
    }
    return sb.toString();
  }

  /** Stable identity of this configuration: the first 16 hex digits of SHA-256(canonical text). */
  public String runId() {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest(canonicalText().getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 8; i++) {
        sb.append(String.format("%02x", h[i]));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** Names of all fields, in canonical order. */
  public static List<String> fieldNames() {
    List<String> names = new ArrayList<>();
    for (Field f : FIELDS) {
      names.add(f.name());
    }
    return names;
  }

  // Declaration helpers: one per kind of field, so that each line of FIELDS reads as a sentence.

  private static Field integer(
      String name,
      String description,
      Allowed<Integer> allowed,
      Function<RunConfig, Integer> accessor,
      Default dflt) {
    return plain(name, Type.INT, Integer.class, description, allowed, accessor, dflt);
  }

  private static Field longInteger(
      String name,
      String description,
      Allowed<Long> allowed,
      Function<RunConfig, Long> accessor,
      Default dflt) {
    return plain(name, Type.LONG, Long.class, description, allowed, accessor, dflt);
  }

  private static Field number(
      String name,
      String description,
      Allowed<Double> allowed,
      Function<RunConfig, Double> accessor,
      Default dflt) {
    return plain(name, Type.DOUBLE, Double.class, description, allowed, accessor, dflt);
  }

  private static Field bool(
      String name, String description, Function<RunConfig, Boolean> accessor, Default dflt) {
    return plain(
        name, Type.BOOLEAN, Boolean.class, description, Allowed.anyBoolean(), accessor, dflt);
  }

  private static Field text(
      String name,
      String description,
      Allowed<String> allowed,
      Function<RunConfig, String> accessor,
      Default dflt) {
    return plain(name, Type.STRING, String.class, description, allowed, accessor, dflt);
  }

  /** A field whose record component holds its value as specs and columns do. */
  private static <C> Field plain(
      String name,
      Type type,
      Class<C> columnClass,
      String description,
      Allowed<C> allowed,
      Function<RunConfig, C> accessor,
      Default dflt) {
    return new Field(name, type, columnClass, description, allowed, accessor, v -> v, null, dflt);
  }

  /** An enumerated field: its record component is the enum, specs and columns hold the spelling. */
  private static <E extends Enum<E> & Choice> Field choice(
      String name,
      Class<E> type,
      String description,
      Function<RunConfig, E> accessor,
      Default dflt) {
    return new Field(
        name,
        Type.STRING,
        String.class,
        description,
        Allowed.spellingsOf(type),
        c -> {
          E e = accessor.apply(c);
          return e == null ? null : e.specName();
        },
        s -> Choice.of(type, s),
        type,
        dflt);
  }

  /** The same default under every preset. */
  private static Default always(Object value) {
    return byPreset(value, value);
  }

  /** One default per preset. */
  private static Default byPreset(Object nanda2023, Object zhong2023) {
    return new Default(
        Map.of(Preset.NANDA2023, nanda2023, Preset.ZHONG2023, zhong2023), null, null);
  }

  /** A default computed from the other fields' values; {@code rule} says how, for docs. */
  private static Default derived(String rule, Function<Map<String, Object>, Object> derive) {
    return new Default(Map.of(), rule, derive);
  }

  /** No default: the preset field, which picks the defaults of the others. */
  private static Default none() {
    return new Default(Map.of(), null, m -> null);
  }

  private static Map<String, Field> byName() {
    Map<String, Field> m = new HashMap<>();
    for (Field f : FIELDS) {
      m.put(f.name(), f);
    }
    return Map.copyOf(m);
  }

  /**
   * The canonical constructor, after checking that {@link #FIELDS} names the record's components in
   * their order (d_model for dModel), so that {@link #fromMap} can pass its arguments by position.
   */
  private static Constructor<RunConfig> canonicalConstructor() {
    RecordComponent[] components = RunConfig.class.getRecordComponents();
    if (components.length != FIELDS.size()) {
      throw new IllegalStateException(
          "RunConfig declares "
              + FIELDS.size()
              + " fields for "
              + components.length
              + " components");
    }
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      String snake = components[i].getName().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
      if (!snake.equals(FIELDS.get(i).name())) {
        throw new IllegalStateException(
            "RunConfig.FIELDS["
                + i
                + "] is "
                + FIELDS.get(i).name()
                + ", component "
                + i
                + " is "
                + components[i].getName());
      }
      types[i] = components[i].getType();
    }
    try {
      return RunConfig.class.getDeclaredConstructor(types);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("RunConfig has no canonical constructor", e);
    }
  }
}
