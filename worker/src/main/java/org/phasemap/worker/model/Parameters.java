package org.phasemap.worker.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.phasemap.worker.RunConfig;

/**
 * The trainable tensors of a model, by TransformerLens name and in TransformerLens layout: {@code
 * embed.W_E [d_vocab, d_model]}, {@code pos_embed.W_pos [n_ctx, d_model]}, {@code
 * blocks.L.attn.W_Q|W_K|W_V [n_heads, d_model, d_head]}, {@code blocks.L.attn.W_O [n_heads, d_head,
 * d_model]}, {@code blocks.L.mlp.W_in [d_model, d_mlp]}, {@code b_in [d_mlp]}, {@code W_out [d_mlp,
 * d_model]}, {@code b_out [d_model]}, {@code unembed.W_U [d_model, p]}.
 *
 * <p>Initialisation follows SCIENCE.md: every weight matrix is N(0, 1)/sqrt(d_model), except W_U
 * (N(0,1)/sqrt(d_vocab)) and, for {@code zhong2023}, W_in (N(0,1)/sqrt(d_mlp)); biases are zero.
 * Each tensor draws from its own {@link SplittableRandom} split off one generator seeded with
 * {@code init_seed}, in the fixed order of {@link #names()}, so an initialisation is reproducible
 * from the run config alone and independent of ND4J's random generator.
 */
public final class Parameters {
  private final Map<String, INDArray> tensors;

  private Parameters(Map<String, INDArray> tensors) {
    this.tensors = Collections.unmodifiableMap(tensors);
  }

  /** Freshly initialised parameters of {@code config}. */
  public static Parameters initialise(RunConfig c) {
    DataType dt = dataType(c);
    int d = c.dModel();
    int h = c.nHeads();
    int dh = c.dHead();
    double sd = 1.0 / Math.sqrt(d);
    SplittableRandom root = new SplittableRandom(c.initSeed());
    Map<String, INDArray> m = new LinkedHashMap<>();
    m.put("embed.W_E", gaussian(root.split(), dt, sd, c.inputVocab(), d));
    m.put("pos_embed.W_pos", gaussian(root.split(), dt, sd, c.contextLength(), d));
    for (int l = 0; l < c.nLayers(); l++) {
      String b = "blocks." + l + ".";
      m.put(b + "attn.W_Q", gaussian(root.split(), dt, sd, h, d, dh));
      m.put(b + "attn.W_K", gaussian(root.split(), dt, sd, h, d, dh));
      m.put(b + "attn.W_V", gaussian(root.split(), dt, sd, h, d, dh));
      m.put(b + "attn.W_O", gaussian(root.split(), dt, sd, h, dh, d));
      double inScale = c.preset() == RunConfig.Preset.ZHONG2023 ? 1.0 / Math.sqrt(c.dMlp()) : sd;
      m.put(b + "mlp.W_in", gaussian(root.split(), dt, inScale, d, c.dMlp()));
      m.put(b + "mlp.b_in", Nd4j.zeros(dt, c.dMlp()));
      m.put(b + "mlp.W_out", gaussian(root.split(), dt, sd, c.dMlp(), d));
      m.put(b + "mlp.b_out", Nd4j.zeros(dt, d));
    }
    m.put(
        "unembed.W_U", gaussian(root.split(), dt, 1.0 / Math.sqrt(c.inputVocab()), d, c.modulus()));
    return new Parameters(m);
  }

  /** Wraps existing tensors (e.g. imported weights); the map's order is kept. */
  public static Parameters of(Map<String, INDArray> tensors) {
    return new Parameters(new LinkedHashMap<>(tensors));
  }

  /** ND4J data type of a run's weights. */
  public static DataType dataType(RunConfig c) {
    return c.precision() == RunConfig.Precision.FLOAT64 ? DataType.DOUBLE : DataType.FLOAT;
  }

  private static INDArray gaussian(SplittableRandom rng, DataType dt, double scale, long... shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    double[] v = new double[Math.toIntExact(n)];
    for (int i = 0; i < v.length; i++) {
      v[i] = rng.nextGaussian() * scale;
    }
    return Nd4j.create(v, shape, 'c').castTo(dt);
  }

  /** Tensor names in canonical order. */
  public List<String> names() {
    return new ArrayList<>(tensors.keySet());
  }

  /** The live tensor (updates to it are updates to the model). */
  public INDArray get(String name) {
    INDArray a = tensors.get(name);
    if (a == null) {
      throw new IllegalArgumentException(
          "Unknown parameter: " + name + " (known: " + tensors.keySet() + ")");
    }
    return a;
  }

  /** All tensors by name, in canonical order (live views). */
  public Map<String, INDArray> asMap() {
    return tensors;
  }

  /** Sum over all tensors of the sum of squared entries (SCIENCE.md 1.4.6), in double. */
  public double sumOfSquares() {
    double s = 0;
    for (INDArray a : tensors.values()) {
      double n = a.norm2Number().doubleValue();
      s += n * n;
    }
    return s;
  }

  /** Total number of scalar parameters. */
  public long count() {
    long n = 0;
    for (INDArray a : tensors.values()) {
      n += a.length();
    }
    return n;
  }

  /** A deep copy (for checkpoints). */
  public Parameters copy() {
    Map<String, INDArray> m = new LinkedHashMap<>();
    tensors.forEach((k, v) -> m.put(k, v.dup()));
    return new Parameters(m);
  }
}
