package org.phasemap.worker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fully resolved configuration of one training run: everything needed to train it again, bit
 * for bit on the same backend, and nothing else.
 *
 * <p>A run's identity ({@link #runId()}) is a hash of every field, so the same configuration always
 * gets the same id, whichever sweep it came from. Field names are the snake_case names used in sweep
 * specs and as columns of the {@code runs} table; {@link #FIELDS} lists them with their meaning and
 * allowed values, and {@link #fromMap(Map)} is the one place where a configuration is validated.
 */
public record RunConfig(
    String preset,
    int modulus,
    int dModel,
    int nHeads,
    int dMlp,
    int nLayers,
    String activation,
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
    String precision,
    String initWeights,
    String split)
    implements java.io.Serializable {

  /** Version of the identity scheme; bump it only if the meaning of a field changes. */
  public static final String ID_SCHEME = "phasemap-run-v1";

  /** Value types a run field can hold. */
  public enum Type {
    INT,
    LONG,
    DOUBLE,
    BOOLEAN,
    STRING
  }

  /** Description of one run field: its name, type, meaning and allowed values. */
  public record Field(String name, Type type, String description, String allowed)
      implements java.io.Serializable {}

  /** Every run field in canonical (column) order. */
  public static final List<Field> FIELDS =
      List.of(
          new Field("preset", Type.STRING, "model/training family: sets defaults and the init scheme", "nanda2023 | zhong2023"),
          new Field("modulus", Type.INT, "the modulus p of a + b mod p", "odd integer in [3, 1000]"),
          new Field("d_model", Type.INT, "residual stream width", "integer in [2, 4096], divisible by n_heads"),
          new Field("n_heads", Type.INT, "attention heads (d_head = d_model / n_heads)", "integer in [1, 64]"),
          new Field("d_mlp", Type.INT, "MLP hidden width (default 4 * d_model)", "integer in [1, 16384]"),
          new Field("n_layers", Type.INT, "transformer blocks", "integer in [1, 16]"),
          new Field("activation", Type.STRING, "MLP non-linearity", "relu | gelu"),
          new Field("attention_rate", Type.DOUBLE, "alpha in A' = alpha*softmax(QK^T/sqrt(d_head)) + (1-alpha)*J", "number in [0, 1]"),
          new Field("causal", Type.BOOLEAN, "causal attention mask", "true | false"),
          new Field("equals_token", Type.BOOLEAN, "inputs are (a, b, =) rather than (a, b)", "true | false"),
          new Field("train_fraction", Type.DOUBLE, "share of the p^2 pairs used for training", "number in (0, 1)"),
          new Field("lr", Type.DOUBLE, "AdamW learning rate", "number in (0, 10]"),
          new Field("weight_decay", Type.DOUBLE, "AdamW decoupled weight decay", "number in [0, 100]"),
          new Field("beta1", Type.DOUBLE, "AdamW first-moment decay", "number in [0, 1)"),
          new Field("beta2", Type.DOUBLE, "AdamW second-moment decay", "number in [0, 1)"),
          new Field("adam_eps", Type.DOUBLE, "AdamW epsilon", "number in (0, 1)"),
          new Field("warmup_steps", Type.INT, "linear warm-up: lr multiplier min(s / warmup_steps, 1), s = steps taken", "integer in [0, 1000000]"),
          new Field("steps", Type.INT, "full-batch optimiser steps", "integer in [1, 10000000]"),
          new Field("init_seed", Type.LONG, "seed of the weight initialisation", "any 64-bit integer"),
          new Field("data_seed", Type.LONG, "seed of the train/test split", "any 64-bit integer"),
          new Field("log_interval", Type.INT, "steps between logged rows of the steps table", "integer in [1, steps]"),
          new Field("checkpoint_interval", Type.INT, "steps between checkpoints (0 = final only)", "integer in [0, steps]"),
          new Field("precision", Type.STRING, "floating-point type of weights and activations", "float32 | float64"),
          new Field("init_weights", Type.STRING, "initial weights from files instead of init_seed (docs/IMPORT.md layout)",
              "empty, or a model folder or .npz; recorded as PATH@sha256:HEX"),
          new Field("split", Type.STRING, "train/test split from files instead of data_seed",
              "empty, or a folder with train_rows.npy and test_rows.npy; recorded as PATH@sha256:HEX"));

  /** Validates every field; the messages name the field, the value and what is allowed. */
  public RunConfig {
    require(preset.equals("nanda2023") || preset.equals("zhong2023"), "preset", preset);
    require(modulus >= 3 && modulus <= 1000 && modulus % 2 == 1, "modulus", modulus);
    require(nHeads >= 1 && nHeads <= 64, "n_heads", nHeads);
    require(dModel >= 2 && dModel <= 4096, "d_model", dModel);
    if (dModel % nHeads != 0) {
      throw new IllegalArgumentException("Invalid d_model: " + dModel + " (allowed: " + field("d_model").allowed()
          + "; n_heads is " + nHeads + ")");
    }
    require(dMlp >= 1 && dMlp <= 16384, "d_mlp", dMlp);
    require(nLayers >= 1 && nLayers <= 16, "n_layers", nLayers);
    require(activation.equals("relu") || activation.equals("gelu"), "activation", activation);
    require(attentionRate >= 0 && attentionRate <= 1, "attention_rate", attentionRate);
    require(trainFraction > 0 && trainFraction < 1, "train_fraction", trainFraction);
    require(lr > 0 && lr <= 10, "lr", lr);
    require(weightDecay >= 0 && weightDecay <= 100, "weight_decay", weightDecay);
    require(beta1 >= 0 && beta1 < 1, "beta1", beta1);
    require(beta2 >= 0 && beta2 < 1, "beta2", beta2);
    require(adamEps > 0 && adamEps < 1, "adam_eps", adamEps);
    require(warmupSteps >= 0 && warmupSteps <= 1_000_000, "warmup_steps", warmupSteps);
    require(steps >= 1 && steps <= 10_000_000, "steps", steps);
    require(logInterval >= 1 && logInterval <= steps, "log_interval", logInterval);
    require(checkpointInterval >= 0 && checkpointInterval <= steps, "checkpoint_interval", checkpointInterval);
    require(precision.equals("float32") || precision.equals("float64"), "precision", precision);
    require(org.phasemap.worker.io.RunInputs.isValid(initWeights), "init_weights", initWeights);
    require(org.phasemap.worker.io.RunInputs.isValid(split), "split", split);
    int pairs = modulus * modulus;
    int train = trainSize(pairs, trainFraction);
    if (train < 1 || train >= pairs) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "Cannot use train_fraction %s with modulus %d: it leaves %d of %d pairs for training; "
                  + "both the train and the test set must be non-empty",
              trainFraction, modulus, train, pairs));
    }
  }

  private static void require(boolean ok, String field, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(
          "Invalid " + field + ": " + value + " (allowed: " + field(field).allowed() + ")");
    }
  }

  /** The descriptor of a field by its snake_case name. */
  public static Field field(String name) {
    for (Field f : FIELDS) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("Unknown run field: " + name);
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

  /** Defaults of a preset (SCIENCE.md section 1.1-1.2 and 2.1), as field name to value. */
  public static Map<String, Object> presetDefaults(String preset) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", preset);
    switch (preset) {
      case "nanda2023" -> {
        m.put("modulus", 113);
        m.put("attention_rate", 1.0);
        m.put("causal", true);
        m.put("equals_token", true);
        m.put("train_fraction", 0.3);
        m.put("weight_decay", 1.0);
        m.put("steps", 40000);
      }
      case "zhong2023" -> {
        m.put("modulus", 59);
        m.put("attention_rate", 1.0);
        m.put("causal", false);
        m.put("equals_token", false);
        m.put("train_fraction", 0.8);
        m.put("weight_decay", 2.0);
        m.put("steps", 20000);
      }
      default -> throw new IllegalArgumentException(
          "Invalid preset: " + preset + " (allowed: " + field("preset").allowed() + ")");
    }
    m.put("d_model", 128);
    m.put("n_heads", 4);
    m.put("n_layers", 1);
    m.put("activation", "relu");
    m.put("lr", 1e-3);
    m.put("beta1", 0.9);
    m.put("beta2", 0.98);
    m.put("adam_eps", 1e-8);
    m.put("warmup_steps", 10);
    m.put("init_seed", 0L);
    m.put("data_seed", 0L);
    m.put("log_interval", 100);
    m.put("checkpoint_interval", 0);
    m.put("precision", "float32");
    m.put("init_weights", "");
    m.put("split", "");
    return m;
  }

  /**
   * Builds a configuration from field values: {@code preset} picks the defaults, the given values
   * override them, and {@code d_mlp} defaults to 4 * d_model. Values may be any {@link Number},
   * {@link Boolean} or {@link String} of the field's type; anything else is rejected with a message
   * that names the field.
   */
  public static RunConfig fromMap(Map<String, ?> values) {
    Object presetValue = values.containsKey("preset") ? values.get("preset") : "nanda2023";
    if (!(presetValue instanceof String)) {
      throw new IllegalArgumentException(
          "Invalid preset: " + presetValue + " (allowed: " + field("preset").allowed() + ")");
    }
    Map<String, Object> m = presetDefaults((String) presetValue);
    for (Map.Entry<String, ?> e : values.entrySet()) {
      Field f = field(e.getKey());
      m.put(f.name(), coerce(f, e.getValue()));
    }
    if (!values.containsKey("d_mlp")) {
      m.put("d_mlp", 4 * (Integer) m.get("d_model"));
    }
    return new RunConfig(
        (String) m.get("preset"),
        (Integer) m.get("modulus"),
        (Integer) m.get("d_model"),
        (Integer) m.get("n_heads"),
        (Integer) m.get("d_mlp"),
        (Integer) m.get("n_layers"),
        (String) m.get("activation"),
        (Double) m.get("attention_rate"),
        (Boolean) m.get("causal"),
        (Boolean) m.get("equals_token"),
        (Double) m.get("train_fraction"),
        (Double) m.get("lr"),
        (Double) m.get("weight_decay"),
        (Double) m.get("beta1"),
        (Double) m.get("beta2"),
        (Double) m.get("adam_eps"),
        (Integer) m.get("warmup_steps"),
        (Integer) m.get("steps"),
        (Long) m.get("init_seed"),
        (Long) m.get("data_seed"),
        (Integer) m.get("log_interval"),
        (Integer) m.get("checkpoint_interval"),
        (String) m.get("precision"),
        (String) m.get("init_weights"),
        (String) m.get("split"));
  }

  /**
   * Converts a value to the type of field {@code f}, or throws naming the field, the value and the
   * expected type. Integral numbers are accepted for DOUBLE fields; a DOUBLE value with a fraction
   * is rejected for INT and LONG fields.
   */
  public static Object coerce(Field f, Object v) {
    String bad = "Invalid " + f.name() + ": " + v + " is not ";
    switch (f.type()) {
      case INT, LONG -> {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
            || v instanceof java.math.BigInteger) {
          long l = ((Number) v).longValue();
          if (v instanceof java.math.BigInteger b && b.bitLength() > 63) {
            throw new IllegalArgumentException(bad + "a 64-bit integer");
          }
          if (f.type() == Type.INT) {
            if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
              throw new IllegalArgumentException(bad + "a 32-bit integer (allowed: " + f.allowed() + ")");
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
            throw new IllegalArgumentException(bad + "a finite number (allowed: " + f.allowed() + ")");
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
        throw new IllegalArgumentException(bad + "a string (allowed: " + f.allowed() + ")");
      }
      default -> throw new AssertionError(f.type());
    }
  }

  /** Every field as snake_case name to value, in canonical order. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", preset);
    m.put("modulus", modulus);
    m.put("d_model", dModel);
    m.put("n_heads", nHeads);
    m.put("d_mlp", dMlp);
    m.put("n_layers", nLayers);
    m.put("activation", activation);
    m.put("attention_rate", attentionRate);
    m.put("causal", causal);
    m.put("equals_token", equalsToken);
    m.put("train_fraction", trainFraction);
    m.put("lr", lr);
    m.put("weight_decay", weightDecay);
    m.put("beta1", beta1);
    m.put("beta2", beta2);
    m.put("adam_eps", adamEps);
    m.put("warmup_steps", warmupSteps);
    m.put("steps", steps);
    m.put("init_seed", initSeed);
    m.put("data_seed", dataSeed);
    m.put("log_interval", logInterval);
    m.put("checkpoint_interval", checkpointInterval);
    m.put("precision", precision);
    m.put("init_weights", initWeights);
    m.put("split", split);
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
      if (org.phasemap.worker.io.RunInputs.FILE_FIELDS.contains(e.getKey())) {
        if (((String) v).isEmpty()) {
          continue;
        }
        v = org.phasemap.worker.io.RunInputs.identity((String) v);
      }
      String text =
          v instanceof Double d ? "d:" + Long.toHexString(Double.doubleToLongBits(d)) : String.valueOf(v);
      sb.append(e.getKey()).append('=').append(text).append('\n');
    }
    return sb.toString();
  }

  /** Stable identity of this configuration: the first 16 hex digits of SHA-256(canonical text). */
  public String runId() {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256").digest(canonicalText().getBytes(StandardCharsets.UTF_8));
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
}
