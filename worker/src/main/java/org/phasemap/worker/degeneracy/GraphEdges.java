package org.phasemap.worker.degeneracy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pieces of the interaction graph that do not depend on a chain's architecture: attributions
 * through an element-wise gate, attributions and edge ablation of an affine step, and edge ablation
 * of any step by running it once per distinct set of kept inputs. {@link NodeChain} implementations
 * call them; {@link InteractionGraph} explains what they compute.
 */
final class GraphEdges {

  /** Values of one scratch block of the gated attributions (32 MB of doubles). */
  private static final int BLOCK = 1 << 22;

  private GraphEdges() {}

  /**
   * E[i][j] = (1/n) Σ_x f_j(x)² (L[i][j] + Σ_m O[m][i] g_x[m] I[m][j])²: the squared attributions
   * of a step whose Jacobian, in feature coordinates, is L + Oᵀ diag(g_x) I at input x (a dense
   * layer with an element-wise non-linearity: g = φ'(pre-activation)).
   *
   * @param gates g [n, m]
   * @param outMap O [m, k_out]
   * @param inMap I [m, k_in]
   * @param linear L [k_out, k_in], or null for none
   * @param features f [n, k_in], the input features at each input
   * @return E [k_out, k_in]
   */
  static DoubleMatrix gated(
      DoubleMatrix gates,
      DoubleMatrix outMap,
      DoubleMatrix inMap,
      DoubleMatrix linear,
      DoubleMatrix features) {
    int n = features.rows();
    int m = inMap.rows();
    int kIn = inMap.cols();
    int kOut = outMap.cols();
    double[] e = new double[kOut * kIn];
    if (n == 0 || kIn == 0 || kOut == 0) {
      return DoubleMatrix.wrap(kOut, kIn, e);
    }
    double[] f = features.data();
    double[] o = outMap.data();
    double[] in = inMap.data();
    double[] lin = linear == null ? null : linear.data();
    int chunk = Math.max(1, Math.min(kOut, BLOCK / Math.max(1, n * kIn)));
    for (int i0 = 0; i0 < kOut; i0 += chunk) {
      int c = Math.min(chunk, kOut - i0);
      double[] b = new double[m * c * kIn]; // B[mm, ii·kIn + j] = O[mm, i0 + ii] · I[mm, j]
      for (int mm = 0; mm < m; mm++) {
        for (int ii = 0; ii < c; ii++) {
          double oi = o[mm * kOut + i0 + ii];
          int base = mm * c * kIn + ii * kIn;
          for (int j = 0; j < kIn; j++) {
            b[base + j] = oi * in[mm * kIn + j];
          }
        }
      }
      double[] y = gates.times(DoubleMatrix.wrap(m, c * kIn, b)).data(); // [n, c·kIn]
      for (int x = 0; x < n; x++) {
        for (int ii = 0; ii < c; ii++) {
          int row = (i0 + ii) * kIn;
          int yb = x * c * kIn + ii * kIn;
          for (int j = 0; j < kIn; j++) {
            double a = (y[yb + j] + (lin == null ? 0 : lin[row + j])) * f[x * kIn + j];
            e[row + j] += a * a;
          }
        }
      }
    }
    for (int i = 0; i < e.length; i++) {
      e[i] /= n;
    }
    return DoubleMatrix.wrap(kOut, kIn, e);
  }

  /**
   * An affine step in feature coordinates: f̂_{l+1} = constant + f̂_l · map, exact for a step whose
   * {@code next} is affine and acts row by row (the same positions in and out, each row by itself).
   *
   * @param map A [k_in, k_out], A[j][i] = ∂f̂_{l+1,i} / ∂f̂_{l,j}
   * @param constant the output features of the input layer's mean row, [k_out]
   */
  record Affine(DoubleMatrix map, double[] constant) {}

  /**
   * The affine step l → l + 1 of {@code chain} read off its {@code next}: the output features of
   * μ_l and of μ_l + s_j E[:, j] for each input direction j, with s_j = √(eigenvalue j), the root
   * mean square of feature j over the chain's inputs for both bases the analysis builds (a typical
   * value, so that the difference is not lost to rounding against μ; any s_j > 0 gives the same map
   * up to rounding).
   */
  static Affine affine(NodeChain chain, int l, LayerBasis in, LayerBasis out) {
    requireRowByRow(chain, l, "an affine step");
    int k = in.size();
    int w = chain.width(l);
    double[] rms = in.eigenvalues();
    for (int j = 0; j < k; j++) {
      rms[j] = Math.sqrt(Math.max(0, rms[j]));
    }
    double[] mean = in.mean();
    double[] rows = new double[(k + 1) * w];
    System.arraycopy(mean, 0, rows, 0, w);
    DoubleMatrix e = in.directions();
    for (int j = 0; j < k; j++) {
      double s = rms[j] > 0 ? rms[j] : 1;
      for (int c = 0; c < w; c++) {
        rows[(j + 1) * w + c] = mean[c] + s * e.get(c, j);
      }
    }
    DoubleMatrix outF =
        chain.next(l, DoubleMatrix.wrap(k + 1, w, rows)).minusRow(out.mean()).times(out.features());
    int kOut = out.size();
    double[] constant = outF.row(0);
    double[] map = new double[k * kOut];
    for (int j = 0; j < k; j++) {
      double s = rms[j] > 0 ? rms[j] : 1;
      for (int i = 0; i < kOut; i++) {
        map[j * kOut + i] = (outF.get(j + 1, i) - constant[i]) / s;
      }
    }
    return new Affine(DoubleMatrix.wrap(k, kOut, map), constant);
  }

  /**
   * E[i][j] = A[j][i]² · (1/rows) Σ_rows f̂_j² of an affine step (its Jacobian is constant; one row
   * per input, or per (input, position) of a step acting on each position by itself).
   */
  static DoubleMatrix affineEdges(NodeChain chain, int l, LayerBasis in, LayerBasis out) {
    Affine a = affine(chain, l, in, out);
    double[] rms = rootMeanSquares(in.featureValues(chain.activations(l)));
    int kIn = in.size();
    int kOut = out.size();
    double[] e = new double[kOut * kIn];
    for (int i = 0; i < kOut; i++) {
      for (int j = 0; j < kIn; j++) {
        double v = a.map().get(j, i) * rms[j];
        e[i * kIn + j] = v * v;
      }
    }
    return DoubleMatrix.wrap(kOut, kIn, e);
  }

  /**
   * Edge ablation of an affine step: output feature i = constant_i + Σ_{j: keep[i][j]} A[j][i]
   * f̂_j, one product.
   */
  static DoubleMatrix affineNext(
      NodeChain chain,
      int l,
      LayerBasis in,
      DoubleMatrix features,
      LayerBasis out,
      boolean[][] keep) {
    Affine a = affine(chain, l, in, out);
    int kIn = in.size();
    int kOut = out.size();
    double[] masked = a.map().data().clone();
    for (int j = 0; j < kIn; j++) {
      for (int i = 0; i < kOut; i++) {
        if (!keep[i][j]) {
          masked[j * kOut + i] = 0;
        }
      }
    }
    return features.times(DoubleMatrix.wrap(kIn, kOut, masked)).plusRow(a.constant());
  }

  /**
   * Edge ablation of any step, exactly as RIB's edge ablation hook does it: output features whose
   * rows of {@code keep} are equal form a group; per group the input layer is rebuilt from the kept
   * features only (the others at their mean, f̂_j = 0), the step runs once, and the group's
   * features are read from its output. One {@code next} per distinct row of {@code keep}.
   */
  static DoubleMatrix groupedNext(
      NodeChain chain,
      int l,
      LayerBasis in,
      DoubleMatrix features,
      LayerBasis out,
      boolean[][] keep) {
    int rows = features.rows() / chain.positions(l) * chain.positions(l + 1);
    int kOut = out.size();
    double[] result = new double[rows * kOut];
    for (Map.Entry<boolean[], int[]> g : groups(keep, in.size()).entrySet()) {
      DoubleMatrix next = chain.next(l, in.rebuild(features, g.getKey()));
      int[] outputs = g.getValue();
      DoubleMatrix v = next.minusRow(out.mean()).times(out.features().selectColumns(outputs));
      scatter(v, outputs, result, kOut);
    }
    return DoubleMatrix.wrap(rows, kOut, result);
  }

  /**
   * The distinct rows of {@code keep} (each of {@code kIn} values), with the output features that
   * have them, in order of first appearance.
   */
  static Map<boolean[], int[]> groups(boolean[][] keep, int kIn) {
    Map<BitSet, List<Integer>> byMask = new LinkedHashMap<>();
    Map<BitSet, boolean[]> masks = new LinkedHashMap<>();
    for (int i = 0; i < keep.length; i++) {
      if (keep[i].length != kIn) {
        throw new IllegalArgumentException(
            "Cannot ablate edges: output "
                + i
                + " has "
                + keep[i].length
                + " input flags for "
                + kIn
                + " input features");
      }
      BitSet b = new BitSet(kIn);
      for (int j = 0; j < kIn; j++) {
        if (keep[i][j]) {
          b.set(j);
        }
      }
      byMask.computeIfAbsent(b, x -> new ArrayList<>()).add(i);
      masks.putIfAbsent(b, keep[i]);
    }
    Map<boolean[], int[]> out = new LinkedHashMap<>();
    for (Map.Entry<BitSet, List<Integer>> e : byMask.entrySet()) {
      out.put(masks.get(e.getKey()), e.getValue().stream().mapToInt(Integer::intValue).toArray());
    }
    return out;
  }

  /** Column c of {@code values} into column outputs[c] of the row-major [rows, width] result. */
  static void scatter(DoubleMatrix values, int[] outputs, double[] result, int width) {
    double[] v = values.data();
    int c = outputs.length;
    for (int r = 0; r < values.rows(); r++) {
      for (int q = 0; q < c; q++) {
        result[r * width + outputs[q]] = v[r * c + q];
      }
    }
  }

  /** √(mean over rows of x_j²) per column j. */
  static double[] rootMeanSquares(DoubleMatrix values) {
    int n = values.rows();
    int k = values.cols();
    double[] s = new double[k];
    double[] d = values.data();
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < k; j++) {
        s[j] += d[r * k + j] * d[r * k + j];
      }
    }
    for (int j = 0; j < k; j++) {
      s[j] = n == 0 ? 0 : Math.sqrt(s[j] / n);
    }
    return s;
  }

  /**
   * A step that acts on each row by itself needs as many rows per input on both sides (one, or one
   * per position of a layer below a transformer's last attention).
   */
  static void requireRowByRow(NodeChain chain, int l, String what) {
    if (chain.positions(l) != chain.positions(l + 1)) {
      throw new IllegalArgumentException(
          "Cannot treat step "
              + chain.name(l)
              + " → "
              + chain.name(l + 1)
              + " as "
              + what
              + ": it needs the same positions on both sides, row by row (got "
              + chain.positions(l)
              + " and "
              + chain.positions(l + 1)
              + ")");
    }
  }
}
