package org.phasemap.worker.degeneracy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stack of dense layers f_{l+1} = φ_l(f_l W_l + b_l) over a fixed input matrix f_0, as a {@link
 * NodeChain}: the generic case, used by the analytic tests and usable for the MLP models of
 * SCIENCE.md 2.1. The last layer's output is the logits. Each node layer has one position.
 *
 * <p>Jacobian Gram: with J(x) = diag(φ'(pre(x))) W_lᵀ, M'_l = W_l [(R Rᵀ) ∘ E_x φ'(x) φ'(x)ᵀ] W_lᵀ,
 * exact (∘ the element-wise product; one n × d_{l+1} × d_{l+1} product for the expectation).
 */
public final class DenseChain implements NodeChain {

  /** The element-wise function of a dense layer. */
  public enum Nonlinearity {
    IDENTITY,
    RELU;

    double apply(double x) {
      return this == RELU ? Math.max(0, x) : x;
    }

    /** φ'(x); ReLU's derivative at 0 is taken as 0. */
    double derivative(double x) {
      return this == RELU ? (x > 0 ? 1 : 0) : 1;
    }
  }

  /**
   * One dense layer, f_out = φ(f_in · weights + bias).
   *
   * @param name the name of the node layer this layer produces
   * @param weights [width in, width out]
   * @param bias [width out]
   */
  public record Layer(String name, DoubleMatrix weights, double[] bias, Nonlinearity nonlinearity) {
    public Layer {
      if (bias.length != weights.cols()) {
        throw new IllegalArgumentException(
            "Cannot make dense layer "
                + name
                + ": bias has "
                + bias.length
                + " values for "
                + weights.cols()
                + " outputs");
      }
      bias = bias.clone();
    }

    @Override
    public double[] bias() {
      return bias.clone();
    }
  }

  private final String inputName;
  private final List<Layer> layers;
  private final int[] labels;
  private final int modulus;
  private final List<DoubleMatrix> activations = new ArrayList<>();
  private final List<DoubleMatrix> preActivations = new ArrayList<>();

  private DenseChain(
      String inputName, DoubleMatrix input, List<Layer> layers, int[] labels, int modulus) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot make a dense chain: it needs at least one layer (got 0)");
    }
    if (labels.length != input.rows()) {
      throw new IllegalArgumentException(
          "Cannot make a dense chain: "
              + input.rows()
              + " inputs but "
              + labels.length
              + " labels");
    }
    this.inputName = inputName;
    this.layers = List.copyOf(layers);
    this.labels = labels.clone();
    this.modulus = modulus;
    DoubleMatrix f = input;
    activations.add(f);
    for (Layer layer : this.layers) {
      if (layer.weights().rows() != f.cols()) {
        throw new IllegalArgumentException(
            "Cannot make a dense chain: layer "
                + layer.name()
                + " reads "
                + layer.weights().rows()
                + " values but the layer before has "
                + f.cols());
      }
      DoubleMatrix pre = f.times(layer.weights()).plusRow(layer.bias());
      preActivations.add(pre);
      f = apply(layer.nonlinearity(), pre);
      activations.add(f);
    }
  }

  /** A chain over {@code input} [n, d_0] with the given class labels. */
  public static DenseChain of(
      String inputName, DoubleMatrix input, int[] labels, List<Layer> layers) {
    return new DenseChain(inputName, input, layers, labels, 0);
  }

  /**
   * A chain whose inputs are all p² pairs (a, b), row a·p + b, labelled (a + b) mod p: its features
   * can be Fourier-labelled.
   */
  public static DenseChain onGrid(int p, String inputName, DoubleMatrix input, List<Layer> layers) {
    if (input.rows() != p * p) {
      throw new IllegalArgumentException(
          "Cannot make a dense chain on the p = "
              + p
              + " grid: expected "
              + p * p
              + " input rows (got "
              + input.rows()
              + ")");
    }
    int[] labels = new int[p * p];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = (i / p + i % p) % p;
    }
    return new DenseChain(inputName, input, layers, labels, p);
  }

  private static DoubleMatrix apply(Nonlinearity phi, DoubleMatrix pre) {
    if (phi == Nonlinearity.IDENTITY) {
      return pre;
    }
    double[] d = pre.data().clone();
    for (int i = 0; i < d.length; i++) {
      d[i] = phi.apply(d[i]);
    }
    return DoubleMatrix.wrap(pre.rows(), pre.cols(), d);
  }

  @Override
  public int layers() {
    return layers.size() + 1;
  }

  @Override
  public String name(int l) {
    return l == 0 ? inputName : layers.get(l - 1).name();
  }

  @Override
  public int width(int l) {
    return activations.get(l).cols();
  }

  @Override
  public int positions(int l) {
    return 1;
  }

  @Override
  public int inputs() {
    return labels.length;
  }

  @Override
  public int[] labels() {
    return labels.clone();
  }

  @Override
  public int gridModulus() {
    return modulus;
  }

  @Override
  public DoubleMatrix activations(int l) {
    return activations.get(l);
  }

  @Override
  public DoubleMatrix next(int l, DoubleMatrix f) {
    Layer layer = layers.get(l);
    return apply(layer.nonlinearity(), f.times(layer.weights()).plusRow(layer.bias()));
  }

  @Override
  public DoubleMatrix jacobianGram(int l, DoubleMatrix nextBasis) {
    Layer layer = layers.get(l);
    DoubleMatrix w = layer.weights();
    DoubleMatrix q = nextBasis.timesTranspose(nextBasis);
    if (layer.nonlinearity() != Nonlinearity.IDENTITY) {
      DoubleMatrix pre = preActivations.get(l);
      DoubleMatrix phi = derivatives(layer.nonlinearity(), pre);
      q = hadamard(q, phi.transposeTimes(phi).scale(1.0 / pre.rows()));
    }
    return w.times(q).timesTranspose(w);
  }

  /**
   * Identity layers are affine ({@link GraphEdges#affineEdges}); otherwise the Jacobian in feature
   * coordinates at input x is C_{l+1}ᵀ diag(φ'(pre(x))) Wᵀ E_l ({@link GraphEdges#gated}).
   */
  @Override
  public DoubleMatrix edges(int l, LayerBasis in, LayerBasis out) {
    Layer layer = layers.get(l);
    if (layer.nonlinearity() == Nonlinearity.IDENTITY) {
      return GraphEdges.affineEdges(this, l, in, out);
    }
    return GraphEdges.gated(
        derivatives(layer.nonlinearity(), preActivations.get(l)),
        out.features(),
        in.directions().transposeTimes(layer.weights()).transpose(),
        null,
        in.featureValues(activations.get(l)));
  }

  @Override
  public DoubleMatrix ablatedNext(
      int l, LayerBasis in, DoubleMatrix features, LayerBasis out, boolean[][] keep) {
    if (layers.get(l).nonlinearity() == Nonlinearity.IDENTITY) {
      return GraphEdges.affineNext(this, l, in, features, out, keep);
    }
    return GraphEdges.groupedNext(this, l, in, features, out, keep);
  }

  private static DoubleMatrix derivatives(Nonlinearity phi, DoubleMatrix pre) {
    double[] d = new double[pre.data().length];
    for (int i = 0; i < d.length; i++) {
      d[i] = phi.derivative(pre.data()[i]);
    }
    return DoubleMatrix.wrap(pre.rows(), pre.cols(), d);
  }

  static DoubleMatrix hadamard(DoubleMatrix a, DoubleMatrix b) {
    double[] d = a.data().clone();
    for (int i = 0; i < d.length; i++) {
      d[i] *= b.data()[i];
    }
    return DoubleMatrix.wrap(a.rows(), a.cols(), d);
  }

  @Override
  public Map<String, DoubleMatrix> neuronPreActivations() {
    Map<String, DoubleMatrix> m = new LinkedHashMap<>();
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i).nonlinearity() == Nonlinearity.RELU) {
        m.put(layers.get(i).name(), preActivations.get(i));
      }
    }
    return Collections.unmodifiableMap(m);
  }
}
