package org.phasemap.worker.model;

import static org.phasemap.worker.model.Rows.axpy;
import static org.phasemap.worker.model.Rows.dot;
import static org.phasemap.worker.model.Rows.read;
import static org.phasemap.worker.model.Rows.write;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.phasemap.worker.RunConfig;

/**
 * The exact step for models of any depth: the same function and gradients as {@link
 * TransformerGraph} up to float rounding, forward and backward derived by hand over ND4J BLAS calls
 * on buffers allocated once per model and batch.
 *
 * <p>Rows are (example, position) pairs, N = n * n_ctx of them. Two things make it cheaper than
 * sending every position through every layer:
 *
 * <ul>
 *   <li>The first layer's input at a row is the residual vector of its slot σ = (position, token)
 *       (see {@link ExactOneLayer}), so its queries, keys and values are one table over the ≈ 2p
 *       slots, {@code T = R [W_Q | W_K | W_V]}, and their gradients are summed per slot before the
 *       small products back to the weights.
 *   <li>Only the last position's logits enter the loss, so the last layer computes its attention
 *       output, MLP and unembedding at the last position only (its keys and values still come from
 *       every position).
 * </ul>
 *
 * Every other product is a GEMM over the rows: per layer, {@code QKV = X [W_Q | W_K | W_V]}, the
 * attention (a few d_head-long vectors per row and head, in Java loops, causal or not, mixed as
 * {@code alpha A + (1 - alpha) J}), {@code XM = X + Z W_O}, {@code pre = XM W_in + b_in}, {@code X'
 * = XM + act(pre) W_out + b_out}; logits {@code = X'_last W_U}. The backward pass runs the same
 * products transposed. The forward buffers of every layer are kept for the backward pass; backward
 * buffers are shared by the layers below the last.
 */
public final class ExactMultiLayer implements ModelFunction {
  private final RunConfig config;
  private final Parameters parameters;
  private final DataType dt;
  private final int p;
  private final int t;
  private final int d;
  private final int h;
  private final int dh;
  private final int hd;
  private final int dm;
  private final int layers;
  private final int slots;
  private final boolean causal;
  private final double alpha;
  private final double scale;
  private final Activation activation;
  private final Map<Batch, Work> work = new IdentityHashMap<>();
  private Weights weights;
  private Grads grads;

  ExactMultiLayer(RunConfig config, Parameters parameters) {
    this.config = config;
    this.parameters = parameters;
    this.dt = Parameters.dataType(config);
    this.p = config.modulus();
    this.t = config.contextLength();
    this.d = config.dModel();
    this.h = config.nHeads();
    this.dh = config.dHead();
    this.hd = h * dh;
    this.dm = config.dMlp();
    this.layers = config.nLayers();
    this.slots = config.equalsToken() ? 2 * p + 1 : 2 * p;
    this.causal = config.causal();
    this.alpha = config.attentionRate();
    this.scale = 1.0 / Math.sqrt(dh);
    this.activation = Activation.of(config);
  }

  @Override
  public String implementation() {
    return "exact-multi-layer";
  }

  @Override
  public Parameters parameters() {
    return parameters;
  }

  private String block(int l, String name) {
    return "blocks." + l + "." + name;
  }

  /** The weights in the layouts the products want, refreshed from the parameters every step. */
  private final class Weights {
    final INDArray r = Nd4j.create(dt, slots, d); // residual vector of each slot
    final double[] rj = new double[slots * d];
    final double[] ej = new double[config.inputVocab() * d];
    final double[] pj = new double[t * d];
    final INDArray[] wqkv =
        new INDArray[layers]; // [d, 3 * hd]: W_Q | W_K | W_V, heads side by side
    final INDArray[] wo = new INDArray[layers]; // [hd, d]
    final INDArray table = Nd4j.create(dt, slots, 3 * hd); // first layer's Q | K | V per slot
    final double[] tableJ = new double[slots * 3 * hd];

    Weights() {
      for (int l = 0; l < layers; l++) {
        wqkv[l] = Nd4j.create(dt, d, 3 * hd);
        wo[l] = Nd4j.create(dt, hd, d);
      }
    }

    void refresh() {
      read(parameters.get("embed.W_E"), ej);
      read(parameters.get("pos_embed.W_pos"), pj);
      ExactOneLayer.slotResiduals(p, slots, d, ej, pj, rj);
      write(rj, 0, r);
      for (int l = 0; l < layers; l++) {
        INDArray view = wqkv[l].reshape(d, 3, h, dh);
        view.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all())
            .assign(parameters.get(block(l, "attn.W_Q")).permute(1, 0, 2));
        view.get(NDArrayIndex.all(), NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all())
            .assign(parameters.get(block(l, "attn.W_K")).permute(1, 0, 2));
        view.get(NDArrayIndex.all(), NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.all())
            .assign(parameters.get(block(l, "attn.W_V")).permute(1, 0, 2));
        wo[l].assign(parameters.get(block(l, "attn.W_O")).reshape(hd, d));
      }
      Blas.gemm(r, wqkv[0], table, false, false, 1.0, 0.0);
      read(table, tableJ);
    }

    INDArray win(int l) {
      return parameters.get(block(l, "mlp.W_in"));
    }

    INDArray wout(int l) {
      return parameters.get(block(l, "mlp.W_out"));
    }
  }

  /** One layer's forward buffers (kept for the backward pass), over its query rows. */
  private final class LayerWork {
    final int rows; // query rows: N, or n for the last layer
    final INDArray x; // [N, d] the layer's input at every row
    final INDArray qkv; // [N, 3 * hd] (layers above the first; the first reads the slot table)
    final double[] attn; // softmax part [rows, h, t]
    final INDArray xq; // [n, d] the last layer's input at the last position (else null)
    final INDArray z; // [rows, hd] attention output before W_O
    final INDArray xm; // [rows, d] residual after the attention block: the MLP input
    final INDArray post; // [rows, dm] pre-activations, then act(pre) in place
    final INDArray scratch; // [rows, dm] for GeLU, else null
    INDArray deriv; // [rows, dm] act'(pre), allocated with the first backward pass

    LayerWork(int l, int n) {
      boolean last = l == layers - 1;
      rows = last ? n : n * t;
      x = Nd4j.create(dt, (long) n * t, d);
      qkv = l == 0 ? null : Nd4j.create(dt, (long) n * t, 3 * hd);
      attn = new double[rows * h * t];
      xq = last ? Nd4j.create(dt, n, d) : null;
      z = Nd4j.create(dt, rows, hd);
      xm = Nd4j.create(dt, rows, d);
      post = Nd4j.create(dt, rows, dm);
      scratch = activation.needsScratch(dt) ? Nd4j.create(dt, rows, dm) : null;
    }
  }

  /** Backward buffers over a number of rows, shared by the layers of that row count. */
  private final class Back {
    final INDArray dXm;
    final INDArray dPost;
    final INDArray dZ;

    Back(int rows) {
      dXm = Nd4j.create(dt, rows, d);
      dPost = Nd4j.create(dt, rows, dm);
      dZ = Nd4j.create(dt, rows, hd);
    }
  }

  /** Per-batch buffers, allocated once per batch and reused every step. */
  private final class Work {
    final int n;
    final int rowsAll;
    final int[] labels;
    final int[] slotOf; // [N]
    final int[] lastRow; // [n]: row of each example's last position
    final LayerWork[] lw = new LayerWork[layers];
    final double[] qkvJ; // [N * 3 * hd] Java copy of the current layer's Q | K | V
    final double[] zJ; // [N * hd]
    final INDArray xf; // [n, d] residual stream after the last layer, last position
    final INDArray logitsA; // [n, p]
    final double[] logits;
    double[] dLogits;
    INDArray dLogitsA;
    INDArray dXf;
    Back lastBack;
    Back allBack;
    INDArray dXa; // [N, d], two buffers: the gradient at a layer's output and at its input
    INDArray dXb;
    double[] dXj; // [N * d]
    double[] dQkvJ; // [N * 3 * hd] (or the slot table's size, which is smaller)
    INDArray dQkv; // [N, 3 * hd]

    Work(Batch b) {
      n = b.size();
      rowsAll = n * t;
      labels = b.labels();
      slotOf = new int[rowsAll];
      lastRow = new int[n];
      int[] tok = b.tokens();
      for (int i = 0; i < n; i++) {
        for (int pos = 0; pos < t; pos++) {
          slotOf[i * t + pos] = ExactOneLayer.slot(p, pos, tok[i * t + pos]);
        }
        lastRow[i] = i * t + t - 1;
      }
      for (int l = 0; l < layers; l++) {
        lw[l] = new LayerWork(l, n);
      }
      qkvJ = new double[rowsAll * 3 * hd];
      zJ = new double[rowsAll * hd];
      xf = Nd4j.create(dt, n, d);
      logitsA = Nd4j.create(dt, n, p);
      logits = new double[n * p];
    }

    void allocateBackward() {
      if (dLogits != null) {
        return;
      }
      dLogits = new double[n * p];
      dLogitsA = Nd4j.create(dt, n, p);
      dXf = Nd4j.create(dt, n, d);
      lastBack = new Back(n);
      allBack = layers > 1 ? new Back(rowsAll) : null;
      dXa = Nd4j.create(dt, rowsAll, d);
      dXb = Nd4j.create(dt, rowsAll, d);
      dXj = new double[rowsAll * d];
      dQkvJ = new double[Math.max(rowsAll, slots) * 3 * hd];
      dQkv = Nd4j.create(dt, rowsAll, 3 * hd);
      for (LayerWork l : lw) {
        l.deriv = Nd4j.create(dt, l.rows, dm);
      }
    }
  }

  /** Gradients of the parameters, allocated once and returned by every call. */
  private final class Grads {
    final double[] dr = new double[slots * d];
    final double[] dE = new double[config.inputVocab() * d];
    final double[] dP = new double[t * d];
    final INDArray dTable = Nd4j.create(dt, slots, 3 * hd);
    final INDArray dR = Nd4j.create(dt, slots, d);
    final INDArray dWqkv = Nd4j.create(dt, d, 3 * hd);
    final INDArray[] dWq = new INDArray[layers];
    final INDArray[] dWk = new INDArray[layers];
    final INDArray[] dWv = new INDArray[layers];
    final INDArray[] dWo = new INDArray[layers];
    final INDArray[] dWin = new INDArray[layers];
    final INDArray[] dBin = new INDArray[layers];
    final INDArray[] dWout = new INDArray[layers];
    final INDArray[] dBout = new INDArray[layers];
    final INDArray dWu = Nd4j.create(dt, d, p);

    Grads() {
      for (int l = 0; l < layers; l++) {
        dWq[l] = Nd4j.create(dt, h, d, dh);
        dWk[l] = Nd4j.create(dt, h, d, dh);
        dWv[l] = Nd4j.create(dt, h, d, dh);
        dWo[l] = Nd4j.create(dt, hd, d);
        dWin[l] = Nd4j.create(dt, d, dm);
        dBin[l] = Nd4j.create(dt, 1, dm);
        dWout[l] = Nd4j.create(dt, dm, d);
        dBout[l] = Nd4j.create(dt, 1, d);
      }
    }
  }

  private Weights weights() {
    if (weights == null) {
      weights = new Weights();
    }
    weights.refresh();
    return weights;
  }

  private Work work(Batch b) {
    return work.computeIfAbsent(b, Work::new);
  }

  @Override
  public Output evaluate(Batch batch) {
    Work w = work(batch);
    double loss = forward(w, weights(), false);
    return new Output(loss, w.logitsA.dup());
  }

  /** The forward pass with the last layer's MLP input, post-activations and attention. */
  @Override
  public Probe probe(Batch batch) {
    Work w = work(batch);
    double loss = forward(w, weights(), false);
    LayerWork last = w.lw[layers - 1];
    return new Probe(loss, w.logitsA.dup(), last.xm.dup(), last.post.dup(), last.attn.clone());
  }

  /** Stride of a Q | K | V row. */
  private int qkvStride() {
    return 3 * hd;
  }

  /** Row of the Q | K | V source of example i at position pos: its slot in the first layer. */
  private int sourceRow(Work w, int l, int i, int pos) {
    return l == 0 ? w.slotOf[i * t + pos] : i * t + pos;
  }

  /** The forward pass; with {@code gradients} it keeps act' and leaves dLoss/dlogits. */
  private double forward(Work w, Weights wt, boolean gradients) {
    Rows.gather(wt.r, w.slotOf, w.lw[0].x);
    for (int l = 0; l < layers; l++) {
      LayerWork lw = w.lw[l];
      boolean last = l == layers - 1;
      double[] src = qkvSource(w, wt, l);
      attention(w, l, src);
      write(w.zJ, 0, lw.z);
      INDArray xq = lw.x;
      if (last) {
        Rows.gather(lw.x, w.lastRow, lw.xq);
        xq = lw.xq;
      }
      lw.xm.assign(xq);
      Blas.gemm(lw.z, wt.wo[l], lw.xm, false, false, 1.0, 1.0);
      Blas.gemm(lw.xm, wt.win(l), lw.post, false, false, 1.0, 0.0);
      activation.apply(
          lw.post, parameters.get(block(l, "mlp.b_in")), gradients ? lw.deriv : null, lw.scratch);
      INDArray out = last ? w.xf : w.lw[l + 1].x;
      out.assign(lw.xm);
      Blas.gemm(lw.post, wt.wout(l), out, false, false, 1.0, 1.0);
      out.addiRowVector(parameters.get(block(l, "mlp.b_out")));
    }
    Blas.gemm(w.xf, parameters.get("unembed.W_U"), w.logitsA, false, false, 1.0, 0.0);
    read(w.logitsA, w.logits);
    return Rows.crossEntropy(w.logits, w.labels, p, gradients ? w.dLogits : null);
  }

  /** Layer l's queries, keys and values as a Java array: the slot table, or X W_QKV. */
  private double[] qkvSource(Work w, Weights wt, int l) {
    if (l == 0) {
      return wt.tableJ;
    }
    LayerWork lw = w.lw[l];
    Blas.gemm(lw.x, wt.wqkv[l], lw.qkv, false, false, 1.0, 0.0);
    read(lw.qkv, w.qkvJ);
    return w.qkvJ;
  }

  /**
   * Attention of layer l into {@code w.zJ} and the layer's softmax buffer: per example, head and
   * query position (the last only in the last layer), A = softmax over the visible keys of q·k /
   * sqrt(d_head), z = sum over visible keys of (alpha A + 1 - alpha) v. Under the causal mask a key
   * after the query is invisible: the reference's -1e9 score and lower-triangular J give it weight
   * exactly 0.
   */
  private void attention(Work w, int l, double[] src) {
    LayerWork lw = w.lw[l];
    boolean last = l == layers - 1;
    int stride = qkvStride();
    double[] a = lw.attn;
    double[] z = w.zJ;
    double[] sc = new double[t];
    Arrays.fill(a, 0);
    Arrays.fill(z, 0, lw.rows * hd, 0);
    for (int i = 0; i < w.n; i++) {
      for (int tq = last ? t - 1 : 0; tq < t; tq++) {
        int qrow = last ? i : i * t + tq;
        int qo = sourceRow(w, l, i, tq) * stride;
        int visible = causal ? tq + 1 : t;
        for (int hh = 0; hh < h; hh++) {
          int ho = hh * dh;
          double max = Double.NEGATIVE_INFINITY;
          for (int tk = 0; tk < visible; tk++) {
            int ko = sourceRow(w, l, i, tk) * stride + hd;
            sc[tk] = dot(src, qo + ho, src, ko + ho, dh) * scale;
            max = Math.max(max, sc[tk]);
          }
          double sum = 0;
          for (int tk = 0; tk < visible; tk++) {
            sc[tk] = Math.exp(sc[tk] - max);
            sum += sc[tk];
          }
          int ao = (qrow * h + hh) * t;
          for (int tk = 0; tk < visible; tk++) {
            double ah = sc[tk] / sum;
            a[ao + tk] = ah;
            int vo = sourceRow(w, l, i, tk) * stride + 2 * hd;
            axpy(alpha * ah + (1 - alpha), src, vo + ho, z, qrow * hd + ho, dh);
          }
        }
      }
    }
  }

  @Override
  public OutputAndGradients lossAndGradients(Batch batch) {
    Work w = work(batch);
    w.allocateBackward();
    Weights wt = weights();
    double loss = forward(w, wt, true);
    if (grads == null) {
      grads = new Grads();
    }
    Grads g = grads;
    INDArray wu = parameters.get("unembed.W_U");
    write(w.dLogits, 0, w.dLogitsA);
    Blas.gemm(w.xf, w.dLogitsA, g.dWu, true, false, 1.0, 0.0);
    Blas.gemm(w.dLogitsA, wu, w.dXf, false, true, 1.0, 0.0);
    INDArray dOut = w.dXf;
    for (int l = layers - 1; l >= 0; l--) {
      INDArray dIn = dOut == w.dXa ? w.dXb : w.dXa;
      layerBackward(w, wt, g, l, dOut, dIn);
      dOut = dIn;
    }
    // the first layer's input is the slot residual R[slot]: sum its gradient per slot
    read(dOut, w.dXj);
    read(g.dR, g.dr); // from the Q | K | V table, set by layerBackward(0)
    Rows.sumBySlot(w.dXj, d, w.slotOf, g.dr);
    ExactOneLayer.embeddingGradients(p, slots, d, g.dr, g.dE, g.dP);
    return new OutputAndGradients(loss, w.logitsA, gradientMap(g));
  }

  /**
   * Layer l backwards: from the gradient at its output rows {@code dOut} ([n, d] at the last
   * position for the last layer, else [N, d]) to the gradient at its input {@code dIn} [N, d], and
   * the layer's parameter gradients. For the first layer the Q | K | V gradient is summed per slot
   * and chained to the slot residuals in {@code g.dR}.
   */
  private void layerBackward(Work w, Weights wt, Grads g, int l, INDArray dOut, INDArray dIn) {
    LayerWork lw = w.lw[l];
    boolean last = l == layers - 1;
    Back b = last ? w.lastBack : w.allBack;
    INDArray win = wt.win(l);
    // out = XM + act(pre) W_out + b_out
    Blas.columnSums(dOut, g.dBout[l]);
    Blas.gemm(lw.post, dOut, g.dWout[l], true, false, 1.0, 0.0);
    Blas.gemm(dOut, wt.wout(l), b.dPost, false, true, 1.0, 0.0);
    b.dPost.muli(lw.deriv);
    // pre = XM W_in + b_in
    Blas.gemm(lw.xm, b.dPost, g.dWin[l], true, false, 1.0, 0.0);
    Blas.columnSums(b.dPost, g.dBin[l]);
    b.dXm.assign(dOut);
    Blas.gemm(b.dPost, win, b.dXm, false, true, 1.0, 1.0);
    // XM = X + Z W_O
    Blas.gemm(lw.z, b.dXm, g.dWo[l], true, false, 1.0, 0.0);
    Blas.gemm(b.dXm, wt.wo[l], b.dZ, false, true, 1.0, 0.0);
    if (last) { // only the last position's rows of X reach XM directly
      read(b.dXm, w.zJ);
      Arrays.fill(w.dXj, 0);
      for (int i = 0; i < w.n; i++) {
        System.arraycopy(w.zJ, i * d, w.dXj, w.lastRow[i] * d, d);
      }
      write(w.dXj, 0, dIn);
    } else {
      dIn.assign(b.dXm);
    }
    // attention, back to Q | K | V
    read(b.dZ, w.zJ);
    double[] src = l == 0 ? wt.tableJ : w.qkvJ;
    if (l > 0) {
      read(lw.qkv, w.qkvJ);
    }
    int srcRows = l == 0 ? slots : w.rowsAll;
    double[] dSrc = w.dQkvJ;
    Arrays.fill(dSrc, 0, srcRows * 3 * hd, 0);
    attentionBackward(w, l, src, w.zJ, dSrc);
    INDArray xIn = l == 0 ? wt.r : lw.x;
    INDArray dQkv = l == 0 ? g.dTable : w.dQkv;
    write(dSrc, 0, dQkv);
    Blas.gemm(xIn, dQkv, g.dWqkv, true, false, 1.0, 0.0);
    if (l == 0) {
      Blas.gemm(dQkv, wt.wqkv[0], g.dR, false, true, 1.0, 0.0);
    } else {
      Blas.gemm(dQkv, wt.wqkv[l], dIn, false, true, 1.0, 1.0);
    }
    INDArray split = g.dWqkv.reshape(d, 3, h, dh);
    g.dWq[l].assign(
        split
            .get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all())
            .permute(1, 0, 2));
    g.dWk[l].assign(
        split
            .get(NDArrayIndex.all(), NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all())
            .permute(1, 0, 2));
    g.dWv[l].assign(
        split
            .get(NDArrayIndex.all(), NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.all())
            .permute(1, 0, 2));
  }

  /**
   * The attention of layer l backwards: from dZ (Java, [rows, hd]) to the gradient of its Q | K | V
   * source rows, accumulated into {@code dSrc} (per slot in the first layer).
   */
  private void attentionBackward(Work w, int l, double[] src, double[] dZ, double[] dSrc) {
    LayerWork lw = w.lw[l];
    boolean last = l == layers - 1;
    int stride = qkvStride();
    double[] a = lw.attn;
    double[] dA = new double[t];
    for (int i = 0; i < w.n; i++) {
      for (int tq = last ? t - 1 : 0; tq < t; tq++) {
        int qrow = last ? i : i * t + tq;
        int qo = sourceRow(w, l, i, tq) * stride;
        int visible = causal ? tq + 1 : t;
        for (int hh = 0; hh < h; hh++) {
          int ho = hh * dh;
          int zo = qrow * hd + ho;
          int ao = (qrow * h + hh) * t;
          double weighted = 0;
          for (int tk = 0; tk < visible; tk++) {
            int vo = sourceRow(w, l, i, tk) * stride + 2 * hd + ho;
            double ah = a[ao + tk];
            axpy(alpha * ah + (1 - alpha), dZ, zo, dSrc, vo, dh);
            dA[tk] = alpha * dot(dZ, zo, src, vo, dh);
            weighted += ah * dA[tk];
          }
          for (int tk = 0; tk < visible; tk++) {
            double ds = a[ao + tk] * (dA[tk] - weighted) * scale;
            if (ds != 0) {
              int ko = sourceRow(w, l, i, tk) * stride + hd + ho;
              axpy(ds, src, ko, dSrc, qo + ho, dh);
              axpy(ds, src, qo + ho, dSrc, ko, dh);
            }
          }
        }
      }
    }
  }

  private Map<String, INDArray> gradientMap(Grads g) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    out.put(
        "embed.W_E",
        Nd4j.create(g.dE, new long[] {config.inputVocab(), d}, DataType.DOUBLE).castTo(dt));
    out.put("pos_embed.W_pos", Nd4j.create(g.dP, new long[] {t, d}, DataType.DOUBLE).castTo(dt));
    for (int l = 0; l < layers; l++) {
      out.put(block(l, "attn.W_Q"), g.dWq[l]);
      out.put(block(l, "attn.W_K"), g.dWk[l]);
      out.put(block(l, "attn.W_V"), g.dWv[l]);
      out.put(block(l, "attn.W_O"), g.dWo[l].reshape(h, dh, d));
      out.put(block(l, "mlp.W_in"), g.dWin[l]);
      out.put(block(l, "mlp.b_in"), g.dBin[l].reshape(dm));
      out.put(block(l, "mlp.W_out"), g.dWout[l]);
      out.put(block(l, "mlp.b_out"), g.dBout[l].reshape(d));
    }
    out.put("unembed.W_U", g.dWu);
    return out;
  }
}
