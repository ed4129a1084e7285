package org.phasemap.worker.degeneracy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.model.Parameters;
import org.phasemap.worker.model.Rows;

/**
 * The transformer of SCIENCE.md 1.1 / 2.1 (any number of blocks, attention rate α, causal or not,
 * with or without the '=' token, ReLU or GeLU) as a {@link NodeChain} in float64 over all p²
 * inputs. The weights are read from {@link Parameters} and cast to double; everything after is
 * computed in double, whatever precision the model was trained in.
 *
 * <p>Node layers of a one-layer model (RIB's names for its modular-arithmetic run in brackets):
 *
 * <ol start="0">
 *   <li>{@code resid_pre} [ln1.0]: the residual stream before attention, W_E[token] +
 *       W_pos[position], at every position (width d_model, {@code positions} = n_ctx). Attention
 *       mixes positions, so this layer keeps them all and shares one basis across them, as RIB does
 *       before its "last position only" cut: each (input, position) row is a sample, the Gram
 *       matrix is the mean over them and M' sums each position's Jacobian separately. Restricting
 *       it to the last position instead would leave, for nanda2023, the constant '=' vector (rank 0
 *       after centring), and would hide a and b, which reach the last position only through
 *       attention.
 *   <li>{@code resid_mid} [ln2.0]: the residual stream at the last position after attention, the
 *       MLP input (width d_model).
 *   <li>{@code mlp_hidden} [mlp_out.0]: the residual stream at the MLP input followed by the d_mlp
 *       post-activation neurons (width d_model + d_mlp): the residual connection passes the first
 *       part by the MLP, so the chain stays a chain.
 *   <li>{@code resid_post} [unembed]: the residual stream after the MLP, what W_U reads.
 *   <li>{@code logits} [output]: the p output logits.
 * </ol>
 *
 * <p>With L ≥ 2 blocks the same three layers repeat per block, numbered by block (RIB's {@code
 * ln1.l}, {@code ln2.l}, {@code mlp_out.l}): {@code resid_pre.0}, then for l = 0 … L−1 {@code
 * resid_mid.l}, {@code mlp_hidden.l}, {@code resid_post.l} (which is block l + 1's resid_pre), and
 * {@code logits}: 3L + 2 layers. Every layer up to the input of the last block's attention ({@code
 * resid_post.(L−2)}) keeps every position (one basis shared across positions, as resid_pre), since
 * a later attention reads them all; from the last block's {@code resid_mid} on only the last
 * position matters, as in the one-layer model. The logits at the last position depend on the other
 * positions only through the last attention's output there, so the chain computes exactly the
 * model's last-position logits (checked against {@code ExactOneLayer} and {@code
 * TransformerGraph}).
 *
 * <p>Biases are not folded in as a constant coordinate; the analysis centres every layer instead
 * (docs/DEGENERACY.md).
 */
public final class TransformerChain implements NodeChain {
  /** The node layers of a one-layer model. */
  static final String[] NAMES = {"resid_pre", "resid_mid", "mlp_hidden", "resid_post", "logits"};

  /** What carries layer l to layer l + 1. */
  private enum Step {
    ATTENTION,
    MLP,
    PROJECTION,
    UNEMBED
  }

  /**
   * One block's weights as float64 matrices. {@code allPositions}: the block's attention output is
   * needed at every position (every block but the last), not only at the last.
   */
  private record Block(
      DoubleMatrix wQ, // [d, h·dh], head hh in columns hh·dh ..
      DoubleMatrix wK,
      DoubleMatrix wV,
      DoubleMatrix wO, // [h·dh, d], head hh in rows hh·dh ..
      DoubleMatrix wIn, // [d, dm]
      double[] bIn,
      DoubleMatrix wOut, // [dm, d]
      double[] bOut,
      boolean allPositions) {}

  private final int p;
  private final int t;
  private final int d;
  private final int h;
  private final int dh;
  private final int dm;
  private final double alpha;
  private final double scale;
  private final boolean gelu;
  private final boolean causal;
  private final Block[] blocks;
  private final DoubleMatrix wU; // [d, p]
  private final int[] labels;
  private final boolean grid;
  private final String[] names;
  private final DoubleMatrix[] acts;
  private final Attention[] attention;
  private final DoubleMatrix[] mlpPre;

  private TransformerChain(RunConfig c, Parameters params, int[] pairs) {
    p = c.modulus();
    t = c.contextLength();
    d = c.dModel();
    h = c.nHeads();
    dh = c.dHead();
    dm = c.dMlp();
    alpha = c.attentionRate();
    scale = 1.0 / Math.sqrt(dh);
    gelu = c.activation() == RunConfig.Activation.GELU;
    causal = c.causal();
    int nb = c.nLayers();
    blocks = new Block[nb];
    for (int b = 0; b < nb; b++) {
      String pre = "blocks." + b + ".";
      blocks[b] =
          new Block(
              heads(params.get(pre + "attn.W_Q")),
              heads(params.get(pre + "attn.W_K")),
              heads(params.get(pre + "attn.W_V")),
              DoubleMatrix.of(params.get(pre + "attn.W_O").reshape(h * dh, d)),
              DoubleMatrix.of(params.get(pre + "mlp.W_in")),
              vector(params.get(pre + "mlp.b_in")),
              DoubleMatrix.of(params.get(pre + "mlp.W_out")),
              vector(params.get(pre + "mlp.b_out")),
              b < nb - 1);
    }
    wU = DoubleMatrix.of(params.get("unembed.W_U"));
    names = names(nb);
    acts = new DoubleMatrix[names.length];
    attention = new Attention[nb];
    mlpPre = new DoubleMatrix[nb];
    DoubleMatrix wE = DoubleMatrix.of(params.get("embed.W_E"));
    DoubleMatrix wPos = DoubleMatrix.of(params.get("pos_embed.W_pos"));
    labels = new int[pairs.length];
    boolean inOrder = pairs.length == p * p;
    double[] r = new double[pairs.length * t * d];
    for (int x = 0; x < pairs.length; x++) {
      int a = pairs[x] / p;
      int b = pairs[x] % p;
      labels[x] = (a + b) % p;
      inOrder &= pairs[x] == x;
      int[] tokens = t == 3 ? new int[] {a, b, p} : new int[] {a, b};
      for (int s = 0; s < t; s++) {
        for (int j = 0; j < d; j++) {
          r[(x * t + s) * d + j] = wE.get(tokens[s], j) + wPos.get(s, j);
        }
      }
    }
    grid = inOrder;
    acts[0] = DoubleMatrix.wrap(pairs.length * t, d, r);
    for (int b = 0; b < nb; b++) {
      Block w = blocks[b];
      attention[b] = attend(w, acts[3 * b]);
      acts[3 * b + 1] = attention[b].residual();
      mlpPre[b] = acts[3 * b + 1].times(w.wIn()).plusRow(w.bIn());
      acts[3 * b + 2] = acts[3 * b + 1].besides(activate(mlpPre[b]));
      acts[3 * b + 3] = next(3 * b + 2, acts[3 * b + 2]);
    }
    acts[3 * nb + 1] = next(3 * nb, acts[3 * nb]);
  }

  /** The chain of a model over all p² pairs (a, b), row a·p + b. */
  public static TransformerChain of(RunConfig config, Parameters parameters) {
    int[] all = new int[config.modulus() * config.modulus()];
    Arrays.setAll(all, i -> i);
    return new TransformerChain(config, parameters, all);
  }

  /** The chain over the given pairs (indices a·p + b). */
  public static TransformerChain of(RunConfig config, Parameters parameters, int[] pairs) {
    return new TransformerChain(config, parameters, pairs.clone());
  }

  /**
   * The node layer names of a model of {@code blocks} blocks: {@link #NAMES} for one block; else
   * {@code resid_pre.0}, per block l {@code resid_mid.l}, {@code mlp_hidden.l}, {@code
   * resid_post.l}, and {@code logits}.
   */
  static String[] names(int blocks) {
    if (blocks == 1) {
      return NAMES.clone();
    }
    String[] n = new String[3 * blocks + 2];
    n[0] = "resid_pre.0";
    for (int b = 0; b < blocks; b++) {
      n[3 * b + 1] = "resid_mid." + b;
      n[3 * b + 2] = "mlp_hidden." + b;
      n[3 * b + 3] = "resid_post." + b;
    }
    n[3 * blocks + 1] = "logits";
    return n;
  }

  /** [h, d, dh] per-head weights as one [d, h·dh] matrix, head hh in columns hh·dh … */
  private DoubleMatrix heads(INDArray w) {
    DoubleMatrix m = DoubleMatrix.of(w.slice(0));
    for (int hh = 1; hh < h; hh++) {
      m = m.besides(DoubleMatrix.of(w.slice(hh)));
    }
    return m;
  }

  private static double[] vector(INDArray v) {
    return v.castTo(DataType.DOUBLE).toDoubleVector();
  }

  /** The step from layer l (0 ≤ l < layers − 1) to l + 1; its block is l / 3. */
  private Step step(int l) {
    if (l == 3 * blocks.length) {
      return Step.UNEMBED;
    }
    return switch (l % 3) {
      case 0 -> Step.ATTENTION;
      case 1 -> Step.MLP;
      default -> Step.PROJECTION;
    };
  }

  @Override
  public int layers() {
    return names.length;
  }

  @Override
  public String name(int l) {
    return names[l];
  }

  @Override
  public int width(int l) {
    return acts[l].cols();
  }

  /** n_ctx up to the input of the last block's attention (layer 3(L − 1)), 1 after it. */
  @Override
  public int positions(int l) {
    return l <= 3 * (blocks.length - 1) ? t : 1;
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
    return grid ? p : 0;
  }

  @Override
  public DoubleMatrix activations(int l) {
    return acts[l];
  }

  /**
   * Each block's MLP neurons under its {@code mlp_hidden} name, first block first; a block below
   * the last has a row per (input, position), the last one per input.
   */
  @Override
  public Map<String, DoubleMatrix> neuronPreActivations() {
    Map<String, DoubleMatrix> m = new LinkedHashMap<>();
    for (int b = 0; b < blocks.length; b++) {
      m.put(names[3 * b + 2], mlpPre[b]);
    }
    return m;
  }

  @Override
  public DoubleMatrix next(int l, DoubleMatrix f) {
    if (l < 0 || l >= names.length - 1) {
      throw new IllegalArgumentException(
          "Cannot run the chain on from layer " + l + ": the last layer is " + (names.length - 1));
    }
    Block w = l / 3 < blocks.length ? blocks[l / 3] : null;
    return switch (step(l)) {
      case ATTENTION -> attend(w, f).residual();
      case MLP -> f.besides(activate(f.times(w.wIn()).plusRow(w.bIn())));
      case PROJECTION ->
          f.columns(0, d).plus(f.columns(d, d + dm).times(w.wOut())).plusRow(w.bOut());
      case UNEMBED -> f.times(wU);
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Forward pieces

  /**
   * An attention block's output with what its Jacobian needs. Its queries come from "query rows":
   * every (input, position) row for a block whose output is needed at every position ({@code all}),
   * row x·t + s being input x at position s; else one row per input, its last position. The softmax
   * pattern A [queries, h, t] (before the attention-rate mix; 0 where the causal mask hides a key),
   * the queries [queries, h·dh], every position's keys and values [n·t, h·dh], and the residual
   * stream after attention at the query rows [queries, d].
   */
  private record Attention(
      boolean all,
      double[] pattern,
      DoubleMatrix queries,
      DoubleMatrix keys,
      DoubleMatrix values,
      DoubleMatrix residual) {}

  /** The position of query row qi. */
  private int queryPosition(boolean all, int qi) {
    return all ? qi % t : t - 1;
  }

  /** The input of query row qi. */
  private int inputOf(boolean all, int qi) {
    return all ? qi / t : qi;
  }

  private Attention attend(Block w, DoubleMatrix rows) {
    int n = rows.rows() / t;
    if (rows.rows() != n * t || rows.cols() != d) {
      throw new IllegalArgumentException(
          "Cannot run attention: expected [inputs · "
              + t
              + ", "
              + d
              + "] rows (got "
              + rows.shape()
              + ")");
    }
    int hd = h * dh;
    DoubleMatrix queryRows = rows;
    if (!w.allPositions()) {
      double[] lastRows = new double[n * d];
      for (int x = 0; x < n; x++) {
        System.arraycopy(rows.data(), ((x + 1) * t - 1) * d, lastRows, x * d, d);
      }
      queryRows = DoubleMatrix.wrap(n, d, lastRows);
    }
    int m = queryRows.rows();
    DoubleMatrix q = queryRows.times(w.wQ());
    DoubleMatrix k = rows.times(w.wK());
    DoubleMatrix v = rows.times(w.wV());
    double[] a = new double[m * h * t];
    double[] z = new double[m * hd];
    mix(w.allPositions(), n, q.data(), null, k.data(), v.data(), null, a, z);
    DoubleMatrix residual = queryRows.plus(DoubleMatrix.wrap(m, hd, z).times(w.wO()));
    return new Attention(w.allPositions(), a, q, k, v, residual);
  }

  /**
   * The softmax pattern A [queries, h, t] of each query row over its input's visible keys (before
   * the attention-rate mix; a key after the query is invisible under the causal mask and keeps A =
   * 0), and the mixed values z [queries, h·dh] = Σ_{visible s} (αA_s + 1 − α) v_s. Query rows are
   * every (input, position) with {@code all}, else each input's last position (which sees every
   * key). Query row qi's query is row {@code qRow[qi]} of q, the key and value of its input x at
   * position s row {@code kvRow[x·t + s]} of k and v (null: rows qi and x·t + s), so that query
   * rows may share rows. {@code a} and {@code z} must be zero on entry.
   */
  private void mix(
      boolean all,
      int n,
      double[] qd,
      int[] qRow,
      double[] kd,
      double[] vd,
      int[] kvRow,
      double[] a,
      double[] z) {
    int hd = h * dh;
    double[] sc = new double[t];
    int[] kv = new int[t];
    for (int x = 0; x < n; x++) {
      for (int s = 0; s < t; s++) {
        kv[s] = (kvRow == null ? x * t + s : kvRow[x * t + s]) * hd;
      }
      for (int tq = all ? 0 : t - 1; tq < t; tq++) {
        int qi = all ? x * t + tq : x;
        int qr = (qRow == null ? qi : qRow[qi]) * hd;
        int visible = causal ? tq + 1 : t;
        for (int hh = 0; hh < h; hh++) {
          double max = Double.NEGATIVE_INFINITY;
          for (int s = 0; s < visible; s++) {
            double dot = 0;
            for (int j = 0; j < dh; j++) {
              dot += qd[qr + hh * dh + j] * kd[kv[s] + hh * dh + j];
            }
            sc[s] = dot * scale;
            max = Math.max(max, sc[s]);
          }
          double sum = 0;
          for (int s = 0; s < visible; s++) {
            sc[s] = Math.exp(sc[s] - max);
            sum += sc[s];
          }
          for (int s = 0; s < visible; s++) {
            double as = sc[s] / sum;
            a[(qi * h + hh) * t + s] = as;
            double mixed = alpha * as + (1 - alpha); // J's visible entries are ones
            for (int j = 0; j < dh; j++) {
              z[qi * hd + hh * dh + j] += mixed * vd[kv[s] + hh * dh + j];
            }
          }
        }
      }
    }
  }

  /** ReLU, or GeLU 0.5 x (1 + erf(x / √2)) as PyTorch's default (the model package's formula). */
  private DoubleMatrix activate(DoubleMatrix pre) {
    double[] x = pre.data();
    double[] y = new double[x.length];
    if (!gelu) {
      for (int i = 0; i < x.length; i++) {
        y[i] = Math.max(0, x[i]);
      }
    } else {
      double[] cdf = normalCdf(x);
      for (int i = 0; i < x.length; i++) {
        y[i] = x[i] * cdf[i];
      }
    }
    return DoubleMatrix.wrap(pre.rows(), pre.cols(), y);
  }

  /** act'(pre): ReLU step (0 at 0), or GeLU's Φ(x) + x φ(x). */
  private DoubleMatrix derivative(DoubleMatrix pre) {
    double[] x = pre.data();
    double[] y = new double[x.length];
    if (!gelu) {
      for (int i = 0; i < x.length; i++) {
        y[i] = x[i] > 0 ? 1 : 0;
      }
    } else {
      double[] cdf = normalCdf(x);
      double c = 1.0 / Math.sqrt(2 * Math.PI);
      for (int i = 0; i < x.length; i++) {
        y[i] = cdf[i] + x[i] * c * Math.exp(-0.5 * x[i] * x[i]);
      }
    }
    return DoubleMatrix.wrap(pre.rows(), pre.cols(), y);
  }

  /** Φ(x) = 0.5 (1 + erf(x / √2)), with ND4J's double erf (Java has none). */
  private static double[] normalCdf(double[] x) {
    INDArray e =
        Nd4j.create(x.clone(), new long[] {x.length}, DataType.DOUBLE).muli(1.0 / Math.sqrt(2));
    Nd4j.exec(new Erf(e, e));
    double[] y = new double[x.length];
    Rows.read(e, y);
    for (int i = 0; i < y.length; i++) {
      y[i] = 0.5 * (1 + y[i]);
    }
    return y;
  }

  // ---------------------------------------------------------------------------------------------
  // Interaction graph

  /**
   * Attention ({@link #attentionEdges}); the MLP, whose Jacobian in feature coordinates is C_rᵀ E +
   * C_hᵀ diag(act'(x)) W_inᵀ E with C = [C_r ; C_h] split like mlp_hidden ({@link
   * GraphEdges#gated}, one row per (input, position) for a block below the last: the step acts on
   * each row by itself); the two affine steps after it ({@link GraphEdges#affineEdges}).
   */
  @Override
  public DoubleMatrix edges(int l, LayerBasis in, LayerBasis out) {
    requireBases(l, in, out);
    return switch (step(l)) {
      case ATTENTION -> attentionEdges(blocks[l / 3], attention[l / 3], l, in, out);
      case MLP -> {
        DoubleMatrix e = in.directions();
        DoubleMatrix c = out.features();
        yield GraphEdges.gated(
            derivative(mlpPre[l / 3]),
            c.rows(d, d + dm),
            blocks[l / 3].wIn().transposeTimes(e),
            c.rows(0, d).transposeTimes(e),
            in.featureValues(acts[l]));
      }
      default -> GraphEdges.affineEdges(this, l, in, out);
    };
  }

  /**
   * Edge ablation, exact, with the work cut to what changes between groups of output features (rows
   * of {@code keep}): attention runs on the distinct rows of its input only ({@link
   * #ablatedAttention}), or, for a later block, whose input rows are all distinct, from its
   * queries, keys and values, linear in the input features ({@link #ablatedDeepAttention}); the
   * MLP's pre-activations are linear in the input features, so each group costs a product over the
   * features it keeps (or drops, whichever is fewer) ({@link #ablatedMlp}); the affine steps are
   * one product ({@link GraphEdges#affineNext}). Equal to the generic {@link
   * GraphEdges#groupedNext} (tested).
   */
  @Override
  public DoubleMatrix ablatedNext(
      int l, LayerBasis in, DoubleMatrix features, LayerBasis out, boolean[][] keep) {
    requireBases(l, in, out);
    return switch (step(l)) {
      case ATTENTION ->
          l == 0
              ? ablatedAttention(blocks[0], in, features, out, keep)
              : ablatedDeepAttention(blocks[l / 3], in, features, out, keep);
      case MLP -> ablatedMlp(blocks[l / 3], in, features, out, keep);
      default -> GraphEdges.affineNext(this, l, in, features, out, keep);
    };
  }

  private void requireBases(int l, LayerBasis in, LayerBasis out) {
    if (l < 0 || l >= names.length - 1) {
      throw new IllegalArgumentException(
          "Cannot compute edges from layer "
              + l
              + ": the steps are 0 … "
              + (names.length - 2)
              + " (the output has no next layer)");
    }
    if (in.features().rows() != width(l) || out.features().rows() != width(l + 1)) {
      throw new IllegalArgumentException(
          "Cannot compute edges of "
              + names[l]
              + " → "
              + names[l + 1]
              + ": the bases have "
              + in.features().rows()
              + " and "
              + out.features().rows()
              + " rows, the layers "
              + width(l)
              + " and "
              + width(l + 1)
              + " coordinates");
    }
  }

  /**
   * An attention step (layer l, the block's input, to the residual stream after attention). With
   * J_{t,s} the attention's Jacobian from position s to query position t (see {@link
   * #attentionJacobianGram}), the attribution of input feature j to output feature i at input x and
   * query position t, summed over positions s inside the square as RIB does, is
   *
   * <pre>
   *   a_ij(x, t) = Σ_s f̂_j(x, s) C_iᵀ J_{t,s} E_j
   *              = Σ_{c=0..H} γ_c(j) Ω̂_c[j][i] + Σ_{h,u} e_{h,u}(j) b_{h,u}(i)
   * </pre>
   *
   * with Ω̂_0 = Eᵀ C, Ω̂_h = Eᵀ W_V W_O C (head h), γ_0(j) = f̂_j(x, t), γ_h(j) = Σ_s A'_{t,s}
   * f̂_j(x, s); b_{h,u} = Cᵀ W_Oᵀ ṽ_u and e_{h,u}(j) = α/√dh (f̂_j(x, u) (Eᵀ W_K q_t)_j + f̂_j(x,
   * t) (Eᵀ W_Q k_u)_j), the key term of position u and the query term through position u (ṽ_u = 0
   * for a key the causal mask hides). (H + 1 + H·T) k_in·k_out multiply-adds per query row; E =
   * Σ_{x,t} a(x, t)² / (n·T), t over the query rows (the last position only in the last block).
   */
  private DoubleMatrix attentionEdges(
      Block w, Attention att, int l, LayerBasis in, LayerBasis out) {
    int n = labels.length;
    int hd = h * dh;
    boolean all = att.all();
    int rowsOut = att.residual().rows();
    DoubleMatrix e = in.directions();
    DoubleMatrix c = out.features();
    int k0 = e.cols();
    int k1 = c.cols();
    double[] f = in.featureValues(acts[l]).data();
    double[][] omega = new double[h + 1][];
    omega[0] = e.transposeTimes(c).data();
    double[][] ke = new double[h][];
    double[][] qe = new double[h][];
    double[][] oc = new double[h][];
    for (int hh = 0; hh < h; hh++) {
      DoubleMatrix och = w.wO().rows(hh * dh, (hh + 1) * dh).times(c); // W_O C, [dh, k1]
      oc[hh] = och.data();
      omega[hh + 1] = e.transposeTimes(w.wV().columns(hh * dh, (hh + 1) * dh)).times(och).data();
      ke[hh] = e.transposeTimes(w.wK().columns(hh * dh, (hh + 1) * dh)).data(); // [k0, dh]
      qe[hh] = e.transposeTimes(w.wQ().columns(hh * dh, (hh + 1) * dh)).data();
    }
    double[] pat = att.pattern();
    double[] qd = att.queries().data();
    double[] kd = att.keys().data();
    double[] vd = att.values().data();
    double[] acc = new double[k0 * k1];
    double[] row = new double[k1];
    double[] gamma = new double[(h + 1) * k0];
    double[] coef = new double[h * t * k0];
    double[] b = new double[h * t * k1];
    double[] keyTerm = new double[k0];
    double[] vbar = new double[dh];
    double[] vt = new double[dh];
    double as = alpha * scale;
    for (int qi = 0; qi < rowsOut; qi++) {
      int x = inputOf(all, qi);
      int tq = queryPosition(all, qi);
      int visible = causal ? tq + 1 : t;
      int last = (x * t + tq) * k0;
      System.arraycopy(f, last, gamma, 0, k0);
      for (int hh = 0; hh < h; hh++) {
        int g = (hh + 1) * k0;
        Arrays.fill(gamma, g, g + k0, 0);
        for (int s = 0; s < visible; s++) {
          double mixed = alpha * pat[(qi * h + hh) * t + s] + (1 - alpha);
          for (int j = 0; j < k0; j++) {
            gamma[g + j] += mixed * f[(x * t + s) * k0 + j];
          }
        }
      }
      if (alpha != 0) {
        for (int hh = 0; hh < h; hh++) {
          int qo = qi * hd + hh * dh;
          for (int j = 0; j < k0; j++) {
            double dot = 0;
            for (int m = 0; m < dh; m++) {
              dot += ke[hh][j * dh + m] * qd[qo + m];
            }
            keyTerm[j] = dot;
          }
          Arrays.fill(vbar, 0);
          for (int s = 0; s < t; s++) {
            double as2 = pat[(qi * h + hh) * t + s];
            for (int m = 0; m < dh; m++) {
              vbar[m] += as2 * vd[(x * t + s) * hd + hh * dh + m];
            }
          }
          for (int u = 0; u < t; u++) {
            int r = hh * t + u;
            int kvo = (x * t + u) * hd + hh * dh;
            double au = pat[(qi * h + hh) * t + u];
            for (int m = 0; m < dh; m++) {
              vt[m] = au * (vd[kvo + m] - vbar[m]);
            }
            Arrays.fill(b, r * k1, (r + 1) * k1, 0);
            for (int m = 0; m < dh; m++) {
              double wm = vt[m];
              for (int i = 0; i < k1; i++) {
                b[r * k1 + i] += wm * oc[hh][m * k1 + i];
              }
            }
            int fu = (x * t + u) * k0;
            for (int j = 0; j < k0; j++) {
              double dot = 0;
              for (int m = 0; m < dh; m++) {
                dot += qe[hh][j * dh + m] * kd[kvo + m];
              }
              coef[r * k0 + j] = as * (f[fu + j] * keyTerm[j] + f[last + j] * dot);
            }
          }
        }
      }
      for (int j = 0; j < k0; j++) {
        Arrays.fill(row, 0);
        for (int cc = 0; cc <= h; cc++) {
          double g = gamma[cc * k0 + j];
          if (g != 0) {
            double[] om = omega[cc];
            for (int i = 0; i < k1; i++) {
              row[i] += g * om[j * k1 + i];
            }
          }
        }
        if (alpha != 0) {
          for (int r = 0; r < h * t; r++) {
            double cr = coef[r * k0 + j];
            if (cr != 0) {
              for (int i = 0; i < k1; i++) {
                row[i] += cr * b[r * k1 + i];
              }
            }
          }
        }
        for (int i = 0; i < k1; i++) {
          acc[j * k1 + i] += row[i] * row[i];
        }
      }
    }
    return DoubleMatrix.wrap(k0, k1, acc).transpose().scale(1.0 / (n * t));
  }

  /**
   * Edge-ablated residual stream after an attention block from its input's features. Attention acts
   * on each row by itself until the softmax, and rows rebuilt from the same features are the same
   * rows, so per group of output features the queries, keys and values are computed on the distinct
   * input rows only (about 2p for resid_pre, whose rows are token-plus-position vectors; every row
   * for a deeper block's input) and gathered per query row.
   */
  private DoubleMatrix ablatedAttention(
      Block w, LayerBasis in, DoubleMatrix features, LayerBasis out, boolean[][] keep) {
    int rows = features.rows();
    int n = rows / t;
    int hd = h * dh;
    int k0 = in.size();
    boolean all = w.allPositions();
    Map<RowKey, Integer> index = new HashMap<>();
    int[] id = new int[rows];
    List<Integer> firsts = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      Integer known = index.putIfAbsent(new RowKey(features.data(), r * k0, k0), firsts.size());
      if (known == null) {
        id[r] = firsts.size();
        firsts.add(r);
      } else {
        id[r] = known;
      }
    }
    DoubleMatrix unique =
        features.selectRows(firsts.stream().mapToInt(Integer::intValue).toArray());
    int m = all ? rows : n;
    int[] qRow = new int[m];
    for (int qi = 0; qi < m; qi++) {
      qRow[qi] = id[inputOf(all, qi) * t + queryPosition(all, qi)];
    }
    int kOut = out.size();
    double[] result = new double[m * kOut];
    for (Map.Entry<boolean[], int[]> g : GraphEdges.groups(keep, k0).entrySet()) {
      DoubleMatrix r = in.rebuild(unique, g.getKey());
      double[] a = new double[m * h * t];
      double[] z = new double[m * hd];
      mix(
          all,
          n,
          r.times(w.wQ()).data(),
          qRow,
          r.times(w.wK()).data(),
          r.times(w.wV()).data(),
          id,
          a,
          z);
      int[] outputs = g.getValue();
      DoubleMatrix cg = out.features().selectColumns(outputs);
      DoubleMatrix lastPart = r.minusRow(out.mean()).times(cg); // per distinct row
      DoubleMatrix headPart = DoubleMatrix.wrap(m, hd, z).times(w.wO().times(cg));
      int width = outputs.length;
      for (int qi = 0; qi < m; qi++) {
        for (int q = 0; q < width; q++) {
          result[qi * kOut + outputs[q]] = lastPart.get(qRow[qi], q) + headPart.get(qi, q);
        }
      }
    }
    return DoubleMatrix.wrap(m, kOut, result);
  }

  /**
   * Edge-ablated residual stream after the attention of a block below the first, from its input's
   * features f̂. Its input rows are all distinct (they are no longer token-plus-position vectors),
   * so instead of rebuilding them per group of output features, the queries, keys and values of a
   * group, linear in the input features (Q = μ W_Q + f̂_kept Eᵀ W_Q, the same for K and V), are
   * computed from the kept feature columns, or as the full ones minus the dropped columns' part
   * when fewer are dropped (as {@link #ablatedMlp} does); the residual part at the query rows is (μ
   * − μ_out) C + f̂_kept Eᵀ C. Equal to the generic ablation (tested).
   */
  private DoubleMatrix ablatedDeepAttention(
      Block w, LayerBasis in, DoubleMatrix features, LayerBasis out, boolean[][] keep) {
    int rows = features.rows();
    int n = rows / t;
    int hd = h * dh;
    int k0 = in.size();
    boolean all = w.allPositions();
    int m = all ? rows : n;
    DoubleMatrix queryFeatures = features;
    if (!all) {
      int[] lastRows = new int[n];
      for (int x = 0; x < n; x++) {
        lastRows[x] = x * t + t - 1;
      }
      queryFeatures = features.selectRows(lastRows);
    }
    DoubleMatrix e = in.directions();
    DoubleMatrix mu = DoubleMatrix.wrap(1, d, in.mean());
    DoubleMatrix[] maps = {
      e.transposeTimes(w.wQ()), e.transposeTimes(w.wK()), e.transposeTimes(w.wV())
    }; // [k0, hd] each
    double[][] means = {mu.times(w.wQ()).row(0), mu.times(w.wK()).row(0), mu.times(w.wV()).row(0)};
    DoubleMatrix[] full = new DoubleMatrix[3];
    DoubleMatrix ec = e.transposeTimes(out.features()); // [k0, kOut]
    double[] shift = mu.minus(DoubleMatrix.wrap(1, d, out.mean())).times(out.features()).row(0);
    int kOut = out.size();
    double[] result = new double[m * kOut];
    for (Map.Entry<boolean[], int[]> g : GraphEdges.groups(keep, k0).entrySet()) {
      int[] kept = LayerBasis.indices(g.getKey(), true);
      int[] dropped = LayerBasis.indices(g.getKey(), false);
      double[][] qkv = new double[3][];
      for (int c = 0; c < 3; c++) {
        DoubleMatrix source = c == 0 ? queryFeatures : features;
        DoubleMatrix v;
        if (kept.length <= dropped.length) {
          v = source.selectColumns(kept).times(maps[c].selectRows(kept)).plusRow(means[c]);
        } else {
          if (full[c] == null) {
            full[c] = source.times(maps[c]).plusRow(means[c]);
          }
          v = full[c].minus(source.selectColumns(dropped).times(maps[c].selectRows(dropped)));
        }
        qkv[c] = v.data();
      }
      double[] a = new double[m * h * t];
      double[] z = new double[m * hd];
      mix(all, n, qkv[0], null, qkv[1], qkv[2], null, a, z);
      int[] outputs = g.getValue();
      DoubleMatrix residualPart =
          queryFeatures.selectColumns(kept).times(ec.selectRows(kept).selectColumns(outputs));
      DoubleMatrix headPart =
          DoubleMatrix.wrap(m, hd, z).times(w.wO().times(out.features().selectColumns(outputs)));
      int width = outputs.length;
      for (int qi = 0; qi < m; qi++) {
        for (int q = 0; q < width; q++) {
          result[qi * kOut + outputs[q]] =
              shift[outputs[q]] + residualPart.get(qi, q) + headPart.get(qi, q);
        }
      }
    }
    return DoubleMatrix.wrap(m, kOut, result);
  }

  /**
   * Edge-ablated mlp_hidden from resid_mid's features (row by row, any number of positions): the
   * residual half (μ_mid − μ_r + f̂_kept Eᵀ) C_r is one product with the dropped edges zeroed; the
   * neuron half of a group is act(z_μ + f̂_kept P) with P = Eᵀ W_in and z_μ = μ_mid W_in + b_in,
   * computed from the kept columns, or as z_full − f̂_dropped P when fewer are dropped.
   */
  private DoubleMatrix ablatedMlp(
      Block w, LayerBasis in, DoubleMatrix features, LayerBasis out, boolean[][] keep) {
    int n = features.rows();
    DoubleMatrix e = in.directions();
    DoubleMatrix cr = out.features().rows(0, d);
    DoubleMatrix ch = out.features().rows(d, d + dm);
    double[] muIn = in.mean();
    double[] muOut = out.mean();
    int k1 = in.size();
    int k2 = out.size();
    double[] shift = new double[d];
    for (int i = 0; i < d; i++) {
      shift[i] = muIn[i] - muOut[i];
    }
    double[] map = e.transposeTimes(cr).data().clone(); // [k1, k2]
    for (int i = 0; i < k2; i++) {
      for (int j = 0; j < k1; j++) {
        if (!keep[i][j]) {
          map[j * k2 + i] = 0;
        }
      }
    }
    double[] result =
        features
            .times(DoubleMatrix.wrap(k1, k2, map))
            .plusRow(DoubleMatrix.wrap(1, d, shift).times(cr).row(0))
            .data()
            .clone();
    DoubleMatrix p = e.transposeTimes(w.wIn()); // [k1, dm]
    double[] zMu = DoubleMatrix.wrap(1, d, muIn).times(w.wIn()).plusRow(w.bIn()).row(0);
    double[] muHidden = Arrays.copyOfRange(muOut, d, d + dm);
    DoubleMatrix zFull = null;
    for (Map.Entry<boolean[], int[]> g : GraphEdges.groups(keep, k1).entrySet()) {
      int[] kept = LayerBasis.indices(g.getKey(), true);
      int[] dropped = LayerBasis.indices(g.getKey(), false);
      DoubleMatrix z;
      if (kept.length <= dropped.length) {
        z = features.selectColumns(kept).times(p.selectRows(kept)).plusRow(zMu);
      } else {
        if (zFull == null) {
          zFull = features.times(p).plusRow(zMu);
        }
        z = zFull.minus(features.selectColumns(dropped).times(p.selectRows(dropped)));
      }
      int[] outputs = g.getValue();
      DoubleMatrix hidden = centredActivation(z, muHidden).times(ch.selectColumns(outputs));
      int width = outputs.length;
      for (int x = 0; x < n; x++) {
        for (int q = 0; q < width; q++) {
          result[x * k2 + outputs[q]] += hidden.get(x, q);
        }
      }
    }
    return DoubleMatrix.wrap(n, k2, result);
  }

  /**
   * act(z) − μ: for ReLU in one pass over a fresh array (the [n, d_mlp] matrices of the MLP's edge
   * ablation are its main memory traffic), for GeLU through {@link #activate}.
   */
  private DoubleMatrix centredActivation(DoubleMatrix z, double[] mean) {
    if (gelu) {
      return activate(z).minusRow(mean);
    }
    double[] x = z.data();
    double[] y = new double[x.length];
    int cols = z.cols();
    for (int i = 0; i < x.length; i++) {
      y[i] = Math.max(0, x[i]) - mean[i % cols];
    }
    return DoubleMatrix.wrap(z.rows(), cols, y);
  }

  /** A slice of a row-major array compared by value: the key of a distinct row. */
  private static final class RowKey {
    private final double[] data;
    private final int from;
    private final int length;
    private final int hash;

    RowKey(double[] data, int from, int length) {
      this.data = data;
      this.from = from;
      this.length = length;
      int hsh = 1;
      for (int i = from; i < from + length; i++) {
        hsh = 31 * hsh + Double.hashCode(data[i]);
      }
      this.hash = hsh;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RowKey k
          && k.length == length
          && Arrays.equals(data, from, from + length, k.data, k.from, k.from + k.length);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Jacobian Gram matrices

  @Override
  public DoubleMatrix jacobianGram(int l, DoubleMatrix r) {
    if (l < 0 || l >= names.length - 1) {
      throw new IllegalArgumentException(
          "Cannot compute M' of layer "
              + l
              + ": the output layer ("
              + (names.length - 1)
              + ") has no next layer");
    }
    if (r.rows() != width(l + 1)) {
      throw new IllegalArgumentException(
          "Cannot compute M' of "
              + names[l]
              + ": the next layer's basis has "
              + r.rows()
              + " rows, the layer "
              + width(l + 1)
              + " coordinates");
    }
    return switch (step(l)) {
      case ATTENTION -> attentionJacobianGram(blocks[l / 3], attention[l / 3], r);
      case MLP -> mlpJacobianGram(blocks[l / 3], mlpPre[l / 3], r);
      case PROJECTION -> { // f_{l+1} = f[:, :d] + f[:, d:] W_out + b_out: Jᵀ = [I ; W_out]
        DoubleMatrix wOut = blocks[l / 3].wOut();
        DoubleMatrix jr = r.transpose().besides(r.transpose().times(wOut.transpose())).transpose();
        yield jr.timesTranspose(jr);
      }
      case UNEMBED -> { // logits = f W_U: Jᵀ = W_U
        DoubleMatrix jr = wU.times(r);
        yield jr.timesTranspose(jr);
      }
    };
  }

  /**
   * resid_mid → mlp_hidden = [r, act(r W_in + b_in)], row by row: J(x) = [I ; diag(act'(x)) W_inᵀ].
   * With R = [R_r ; R_h] split like the layer, E_rows J(x)ᵀ R Rᵀ J(x) = R_r R_rᵀ + X R_rᵀ + R_r Xᵀ
   * + W_in [(R_h R_hᵀ) ∘ E act' act'ᵀ] W_inᵀ with X = W_in diag(E act') R_h, the means over the
   * layer's rows (one per input, or per (input, position) below the last block).
   */
  private DoubleMatrix mlpJacobianGram(Block w, DoubleMatrix pre, DoubleMatrix r) {
    DoubleMatrix wIn = w.wIn();
    DoubleMatrix rr = r.rows(0, d);
    DoubleMatrix rh = r.rows(d, d + dm);
    DoubleMatrix phi = derivative(pre);
    int n = phi.rows();
    DoubleMatrix mean = DoubleMatrix.wrap(1, dm, phi.columnMeans());
    DoubleMatrix x = wIn.scaleColumns(mean.data()).times(rh);
    DoubleMatrix inner =
        DenseChain.hadamard(rh.timesTranspose(rh), phi.transposeTimes(phi).scale(1.0 / n));
    return rr.timesTranspose(rr)
        .plus(x.timesTranspose(rr))
        .plus(rr.timesTranspose(x))
        .plus(wIn.times(inner).timesTranspose(wIn));
  }

  /** Query rows per block of the attention Jacobian's low-rank part (bounds its scratch memory). */
  private static final int CHUNK = 256;

  /**
   * An attention step, from the block's input at every position to its output at the query
   * positions (every position below the last block, the last one in it). Column convention, one
   * head's weights W_Q, W_K, W_V [d, dh] and W_O [dh, d] (TransformerLens layout), for input x,
   * query position t and key position s:
   *
   * <pre>
   *   J_{t,s} = δ_{s,t} I + Σ_h ( A'_{t,s} Ω_hᵀ + α/√dh · W_Oᵀ [ ṽ_s (W_K q_t)ᵀ + δ_{s,t} Σ_u ṽ_u (W_Q k_u)ᵀ ] )
   * </pre>
   *
   * with Ω_h = W_V W_O, A the softmax pattern from position t, A' = αA + (1 − α)J (J the ones of
   * the visible keys), ṽ_u = A_u (v_u − Σ_s A_s v_s) (the softmax's derivative applied to the
   * values; 0 for a key the causal mask hides). So Rᵀ J_{t,s} = Σ_j c_j Rᵀ Ω_jᵀ + Σ_r g_r w_rᵀ: a
   * combination of H + 1 fixed matrices (Ω_0 = I with c_0 = δ_{s,t}, Ω_h with c_h = A'_{t,s}) plus
   * rank-one terms (one per head for the key of position s, and at s = t, T more per head for the
   * query), g_r = α/√dh Rᵀ W_Oᵀ ṽ_r. M' = 1/(n·T) Σ_{x,s} Σ_t (Rᵀ J_{t,s})ᵀ (Rᵀ J_{t,s}), the sum
   * over t being the row's Jacobian to every output position; expanding it:
   *
   * <pre>
   *   Σ_{j,j'} (Σ_{x,t,s} c_j c_j') Ω_j Q Ω_j'ᵀ  +  Σ_r [ y_r w_rᵀ + w_r (y_r + z_r)ᵀ ]
   *   Q = R Rᵀ,  y_r = Σ_j c_j Ω_j Q W_Oᵀ ṽ'_r,  z_r = Σ_{r' of the same (x, t, s)} (g_r · g_r') w_r'
   * </pre>
   *
   * The first sum is (H+1)² d × d products; the second is two (query rows)·2TH × d × d products
   * over stacked rows. This avoids forming the Jacobians (n·T·k·d² multiply-adds per query
   * position: 8e10 at p = 113, against about 1.5e10 here). Checked against finite differences in
   * the tests.
   */
  private DoubleMatrix attentionJacobianGram(Block w, Attention att, DoubleMatrix r) {
    int n = labels.length;
    int rowsOut = att.residual().rows();
    DoubleMatrix q = r.timesTranspose(r);
    DoubleMatrix[] omega = new DoubleMatrix[h + 1];
    omega[0] = DoubleMatrix.identity(d);
    DoubleMatrix[] wqh = new DoubleMatrix[h];
    DoubleMatrix[] wkh = new DoubleMatrix[h];
    DoubleMatrix[] woh = new DoubleMatrix[h];
    for (int hh = 0; hh < h; hh++) {
      wqh[hh] = w.wQ().columns(hh * dh, (hh + 1) * dh);
      wkh[hh] = w.wK().columns(hh * dh, (hh + 1) * dh);
      woh[hh] = w.wO().rows(hh * dh, (hh + 1) * dh);
      omega[hh + 1] = w.wV().columns(hh * dh, (hh + 1) * dh).times(woh[hh]);
    }
    // coefficients c_j(x, t, s) and their second moments
    double[] coef = new double[(h + 1)];
    double[][] moments = new double[h + 1][h + 1];
    double[] pat = att.pattern();
    for (int qi = 0; qi < rowsOut; qi++) {
      int tq = queryPosition(att.all(), qi);
      for (int s = 0; s < t; s++) {
        coefficients(pat, qi, tq, s, coef);
        for (int i = 0; i <= h; i++) {
          for (int j = 0; j <= h; j++) {
            moments[i][j] += coef[i] * coef[j];
          }
        }
      }
    }
    DoubleMatrix total = DoubleMatrix.zeros(d, d);
    DoubleMatrix[] qOmegaT = new DoubleMatrix[h + 1];
    for (int j = 0; j <= h; j++) {
      qOmegaT[j] = q.timesTranspose(omega[j]);
    }
    for (int i = 0; i <= h; i++) {
      DoubleMatrix mix = DoubleMatrix.zeros(d, d);
      for (int j = 0; j <= h; j++) {
        mix = mix.plus(qOmegaT[j].scale(moments[i][j]));
      }
      total = total.plus(omega[i].times(mix));
    }
    if (alpha != 0) {
      // per head: Θ_h = [W_O Q Ω_0ᵀ | … | W_O Q Ω_Hᵀ] (dh × (H+1)d) and W_O R (dh × k)
      DoubleMatrix[] theta = new DoubleMatrix[h];
      DoubleMatrix[] gMap = new DoubleMatrix[h];
      for (int hh = 0; hh < h; hh++) {
        DoubleMatrix woq = woh[hh].times(q);
        DoubleMatrix th = woq.timesTranspose(omega[0]);
        for (int j = 1; j <= h; j++) {
          th = th.besides(woq.timesTranspose(omega[j]));
        }
        theta[hh] = th;
        gMap[hh] = woh[hh].times(r);
      }
      for (int from = 0; from < rowsOut; from += CHUNK) {
        total =
            total.plus(
                lowRankPart(att, from, Math.min(rowsOut, from + CHUNK), wqh, wkh, theta, gMap));
      }
    }
    return total.scale(1.0 / (n * t)).symmetrised();
  }

  /**
   * c_0 = δ_{s,t}, c_{1+h} = A'_{t,s} of head h (0 for a key the causal mask hides), for query row
   * qi at position t = {@code tq}.
   */
  private void coefficients(double[] pattern, int qi, int tq, int s, double[] coef) {
    coef[0] = s == tq ? 1 : 0;
    boolean visible = !causal || s <= tq;
    for (int hh = 0; hh < h; hh++) {
      coef[hh + 1] = visible ? alpha * pattern[(qi * h + hh) * t + s] + (1 - alpha) : 0;
    }
  }

  /**
   * Σ_r [y_r w_rᵀ + w_r (y_r + z_r)ᵀ] over the rank-one terms of query rows [from, to). Per head,
   * rows are ordered (query row, term): terms 0 … T−1 are the keys of positions 0 … T−1 (group (x,
   * t, s)), terms T … 2T−1 the query's, through position u's key (group (x, t, t)).
   */
  private DoubleMatrix lowRankPart(
      Attention att,
      int from,
      int to,
      DoubleMatrix[] wqh,
      DoubleMatrix[] wkh,
      DoubleMatrix[] theta,
      DoubleMatrix[] gMap) {
    int m = to - from;
    int hd = h * dh;
    int perHead = m * 2 * t;
    int k = gMap[0].cols();
    boolean all = att.all();
    double[] pat = att.pattern();
    double[] qd = att.queries().data();
    double[] kd = att.keys().data();
    double[] vd = att.values().data();
    double[] ys = new double[h * perHead * d];
    double[] ws = new double[h * perHead * d];
    double[] zs = new double[h * perHead * d];
    double[][] gs = new double[h][];
    double[] coef = new double[h + 1];
    for (int hh = 0; hh < h; hh++) {
      // ṽ'_r rows, and w_r rows: key terms q W_Kᵀ, query terms k_u W_Qᵀ
      double[] vt = new double[perHead * dh];
      double[] qRows = new double[m * dh];
      double[] kRows = new double[m * t * dh];
      double[] vbar = new double[dh];
      for (int i = 0; i < m; i++) {
        int qi = from + i;
        int x = inputOf(all, qi);
        System.arraycopy(qd, qi * hd + hh * dh, qRows, i * dh, dh);
        Arrays.fill(vbar, 0);
        for (int s = 0; s < t; s++) {
          System.arraycopy(kd, (x * t + s) * hd + hh * dh, kRows, (i * t + s) * dh, dh);
          double as = pat[(qi * h + hh) * t + s];
          for (int j = 0; j < dh; j++) {
            vbar[j] += as * vd[(x * t + s) * hd + hh * dh + j];
          }
        }
        for (int u = 0; u < t; u++) {
          double au = pat[(qi * h + hh) * t + u] * alpha * scale;
          for (int j = 0; j < dh; j++) {
            double tilde = au * (vd[(x * t + u) * hd + hh * dh + j] - vbar[j]);
            vt[(i * 2 * t + u) * dh + j] = tilde; // key term of position u
            vt[(i * 2 * t + t + u) * dh + j] = tilde; // query term through position u
          }
        }
      }
      DoubleMatrix vtm = DoubleMatrix.wrap(perHead, dh, vt);
      double[] keyW = DoubleMatrix.wrap(m, dh, qRows).timesTranspose(wkh[hh]).data(); // [m, d]
      double[] queryW =
          DoubleMatrix.wrap(m * t, dh, kRows).timesTranspose(wqh[hh]).data(); // [m·t, d]
      double[] yFull = vtm.times(theta[hh]).data(); // [perHead, (h+1)·d]
      gs[hh] = vtm.times(gMap[hh]).data(); // [perHead, k]
      int base = hh * perHead;
      for (int i = 0; i < m; i++) {
        int qi = from + i;
        int tq = queryPosition(all, qi);
        for (int term = 0; term < 2 * t; term++) {
          int row = i * 2 * t + term;
          int group = term < t ? term : tq;
          coefficients(pat, qi, tq, group, coef);
          int out = (base + row) * d;
          for (int j = 0; j <= h; j++) {
            double c = coef[j];
            if (c == 0) {
              continue;
            }
            int in = row * (h + 1) * d + j * d;
            for (int e = 0; e < d; e++) {
              ys[out + e] += c * yFull[in + e];
            }
          }
          if (term < t) {
            System.arraycopy(keyW, i * d, ws, out, d);
          } else {
            System.arraycopy(queryW, (i * t + term - t) * d, ws, out, d);
          }
        }
      }
    }
    // z_r = Σ_{r' in r's group} (g_r · g_r') w_r'; members of group (x, t, s) over all heads
    int[] members = new int[h * (t + 1)];
    int[] memberHead = new int[h * (t + 1)];
    for (int i = 0; i < m; i++) {
      int tq = queryPosition(all, from + i);
      for (int s = 0; s < t; s++) {
        int size = 0;
        for (int hh = 0; hh < h; hh++) {
          members[size] = i * 2 * t + s;
          memberHead[size++] = hh;
          if (s == tq) {
            for (int u = 0; u < t; u++) {
              members[size] = i * 2 * t + t + u;
              memberHead[size++] = hh;
            }
          }
        }
        for (int a = 0; a < size; a++) {
          int ra = members[a];
          int ha = memberHead[a];
          int za = (ha * perHead + ra) * d;
          for (int b = 0; b < size; b++) {
            int rb = members[b];
            int hb = memberHead[b];
            double dot = 0;
            for (int e = 0; e < k; e++) {
              dot += gs[ha][ra * k + e] * gs[hb][rb * k + e];
            }
            int wb = (hb * perHead + rb) * d;
            for (int e = 0; e < d; e++) {
              zs[za + e] += dot * ws[wb + e];
            }
          }
        }
      }
    }
    int rows = h * perHead;
    DoubleMatrix y = DoubleMatrix.wrap(rows, d, ys);
    DoubleMatrix w = DoubleMatrix.wrap(rows, d, ws);
    DoubleMatrix yz = DoubleMatrix.wrap(rows, d, ys.clone()).plus(DoubleMatrix.wrap(rows, d, zs));
    return y.transposeTimes(w).plus(w.transposeTimes(yz));
  }
}
