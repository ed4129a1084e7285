package org.phasemap.worker.model;

import static org.phasemap.worker.model.Rows.axpy;
import static org.phasemap.worker.model.Rows.dot;
import static org.phasemap.worker.model.Rows.read;
import static org.phasemap.worker.model.Rows.write;

import java.nio.FloatBuffer;
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
 * TransformerGraph} up to float rounding, forward and backward derived by hand over BLAS calls
 * ({@link Blas}) on buffers allocated once per model and batch.
 *
 * <p>Rows are (example, position) pairs, N = n * n_ctx of them, position-major (row = pos * n +
 * example), so that a position's rows are one contiguous block: the last position's rows are a
 * view, and the attention runs over long vectors of examples. Two things make it cheaper than
 * sending every position through every layer:
 *
 * <ul>
 *   <li>The first layer's input at a row is the residual vector of its slot σ = (position, token)
 *       (see {@link ExactOneLayer}), so its queries, keys and values are one table over the ≈ 2p
 *       slots, {@code T = R [W_Q | W_K | W_V]}; its attention scores are a per-head table over slot
 *       pairs (one small GEMM per head), looked up per row; its gradients are summed per slot (and
 *       per slot pair for the scores) before the small products back to the weights.
 *   <li>Only the last position's logits enter the loss, so the last layer computes its queries,
 *       attention output, MLP and unembedding at the last position only (its keys and values still
 *       come from every position; {@link #lastLayerQkv}).
 * </ul>
 *
 * Every other product is a GEMM over the rows: per layer, {@code QKV = X [W_Q | W_K | W_V]}, the
 * attention (causal or not, mixed as {@code alpha A + (1 - alpha) J}), {@code XM = X + Z W_O},
 * {@code pre = XM W_in + b_in}, {@code X' = XM + act(pre) W_out + b_out}; logits {@code = X'_last
 * W_U}. The backward pass runs the same products transposed. Above the first layer, Q | K | V and Z
 * are held transposed, [channel, row] (the GEMMs produce and read them so at no extra cost), and
 * copied to Java as one n-long block per (channel, position), so that the attention's Java loops
 * run over the n examples of one (head, channel, position) at a time: element-wise loops over
 * arrays indexed from 0, which the JIT vectorises, where d_head-long dot products per row, or loops
 * at an offset into one large array, it does not (measured, docs/PERFORMANCE.md). The forward
 * buffers of every layer are kept for the backward pass; backward buffers are shared by the layers
 * below the last.
 *
 * <p>In float32 the first layer's MLP input is also read from slot tables, as {@link ExactOneLayer}
 * does at its one layer: {@code pre = XM W_in} at a row is RI[σ] plus the attention-weighted rows
 * of VOI[h] = V[h] W_O[h] W_in over the visible keys' slots ([slots, d_mlp] tables), summed in
 * Java; backward, {@code dW_in = XM^T dpre} becomes R^T S_R + sum_h W_O[h]^T V[h]^T S[h] from
 * per-slot sums of dpre. That removes the two [N, d] x [d, d_mlp] products of the first layer at
 * every position ({@code XM} itself, the residual stream, is still formed). Used where it removes
 * at least ten times the Java row updates it adds (d_model ≥ 10 (1 + h k), k the mean number of
 * keys a query sees: width 128 and up at four heads, measured), or as {@code phasemap.exactFold}
 * (auto | true | false) says.
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

  /** Whether the first layer's MLP input comes from slot tables (class comment). */
  private final boolean fold;

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
    // per row the fold removes 2 d d_mlp GEMM multiply-adds (pre and dW_in) for 2 (1 + h k)
    // d_mlp Java row updates, k the mean number of visible keys; measured, it pays from about
    // d = 10 (1 + h k) (docs/PERFORMANCE.md)
    double keys = causal ? (t + 1) / 2.0 : t;
    String mode = System.getProperty("phasemap.exactFold", "auto");
    this.fold =
        dt == DataType.FLOAT
            && (mode.equals("true") || (mode.equals("auto") && d >= 10 * (1 + h * keys)));
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
    // per head: the first layer's queries and keys per slot, and every slot pair's scaled score
    final INDArray[] qh = new INDArray[h]; // [slots, d_head]
    final INDArray[] kh = new INDArray[h];
    final INDArray[] sh = new INDArray[h]; // [slots, slots]
    final double[][] scores = new double[h][slots * slots];
    // the first layer's MLP input tables (fold): per head V[h], W_O[h], W_O[h] W_in; RI = R W_in
    final INDArray[] vh = new INDArray[h]; // [slots, d_head]
    final INDArray[] woH = new INDArray[h]; // [d_head, d]
    final INDArray[] woiH = new INDArray[h]; // [d_head, dm]
    final INDArray slotsByMlp = fold ? Nd4j.create(dt, slots, dm) : null;
    final float[][] voi = fold ? new float[h * slots][dm] : null; // row h * slots + σ
    final float[][] ri = fold ? new float[slots][dm] : null;

    Weights() {
      for (int l = 0; l < layers; l++) {
        wqkv[l] = Nd4j.create(dt, d, 3 * hd);
        wo[l] = Nd4j.create(dt, hd, d);
      }
      for (int hh = 0; hh < h; hh++) {
        qh[hh] = Nd4j.create(dt, slots, dh);
        kh[hh] = Nd4j.create(dt, slots, dh);
        sh[hh] = Nd4j.create(dt, slots, slots);
        if (fold) {
          vh[hh] = Nd4j.create(dt, slots, dh);
          woH[hh] = Nd4j.create(dt, dh, d);
          woiH[hh] = Nd4j.create(dt, dh, dm);
        }
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
      double[] col = new double[slots * dh];
      for (int hh = 0; hh < h; hh++) {
        headColumns(tableJ, hh * dh, col);
        write(col, 0, qh[hh]);
        headColumns(tableJ, hd + hh * dh, col);
        write(col, 0, kh[hh]);
        Blas.gemm(qh[hh], kh[hh], sh[hh], false, true, scale, 0.0);
        read(sh[hh], scores[hh]);
      }
      if (fold) {
        INDArray win = win(0);
        INDArray pwo = parameters.get(block(0, "attn.W_O"));
        for (int hh = 0; hh < h; hh++) {
          headColumns(tableJ, 2 * hd + hh * dh, col);
          write(col, 0, vh[hh]);
          woH[hh].assign(pwo.slice(hh));
          Blas.gemm(woH[hh], win, woiH[hh], false, false, 1.0, 0.0);
          Blas.gemm(vh[hh], woiH[hh], slotsByMlp, false, false, 1.0, 0.0);
          Rows.readRows(slotsByMlp, voi, hh * slots);
        }
        Blas.gemm(r, win, slotsByMlp, false, false, 1.0, 0.0);
        Rows.readRows(slotsByMlp, ri, 0);
      }
    }

    /** Columns from..from + d_head of the [slots, 3 * hd] table, as a [slots, d_head] array. */
    void headColumns(double[] tab, int from, double[] out) {
      for (int sl = 0; sl < slots; sl++) {
        System.arraycopy(tab, sl * 3 * hd + from, out, sl * dh, dh);
      }
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
    final int firstQuery; // first query position: 0, or n_ctx - 1 for the last layer
    final INDArray x; // [N, d] the layer's input at every row
    final INDArray xq; // the rows of x that query: all of x, or a view of the last position's
    final INDArray qkvT; // [3 * hd, N] (layers above the first; the first reads the slot table)
    final double[][] attn; // softmax part, blocks of n examples at (head, query position, key)
    final INDArray z; // attention output before W_O: [rows, hd] (first layer), else [hd, rows]
    final INDArray xm; // [rows, d] residual after the attention block: the MLP input
    final INDArray post; // [rows, dm] pre-activations, then act(pre) in place
    final INDArray scratch; // [rows, dm] for GeLU, else null
    INDArray deriv; // [rows, dm] act'(pre), allocated with the first backward pass

    LayerWork(int l, int n) {
      boolean last = l == layers - 1;
      rows = last ? n : n * t;
      firstQuery = last ? t - 1 : 0;
      x = Nd4j.create(dt, (long) n * t, d);
      xq =
          last
              ? x.get(NDArrayIndex.interval((long) (t - 1) * n, (long) t * n), NDArrayIndex.all())
              : x;
      qkvT = l == 0 ? null : Nd4j.create(dt, 3 * hd, (long) n * t);
      attn = new double[h * (t - firstQuery) * t][n];
      z = l == 0 ? Nd4j.create(dt, rows, hd) : Nd4j.create(dt, hd, rows);
      xm = Nd4j.create(dt, rows, d);
      post = Nd4j.create(dt, rows, dm);
      scratch = activation.needsScratch(dt) ? Nd4j.create(dt, rows, dm) : null;
    }

    /** The block of {@link #attn} with the weights of key position tk for query position tq. */
    double[] attnAt(int hh, int tq, int tk) {
      return attn[(hh * (t - firstQuery) + tq - firstQuery) * t + tk];
    }
  }

  /** Backward buffers over a number of rows, shared by the layers of that row count. */
  private final class Back {
    final INDArray dXm;
    final INDArray dPost;
    final INDArray dZ; // [rows, hd] (first layer)
    final INDArray dZT; // [hd, rows] (above)

    Back(int rows) {
      dXm = Nd4j.create(dt, rows, d);
      dPost = Nd4j.create(dt, rows, dm);
      dZ = Nd4j.create(dt, rows, hd);
      dZT = Nd4j.create(dt, hd, rows);
    }
  }

  /** Per-batch buffers, allocated once per batch and reused every step. */
  private final class Work {
    final int n;
    final int rowsAll;
    final int[] labels;
    final int[] slotOf; // [N], position-major rows
    final LayerWork[] lw = new LayerWork[layers];
    // Java copies in blocks of n examples, one per (channel, position): block c * t + pos (layers
    // above the first)
    final double[][] qkv; // the current layer's Q | K | V, 3 * hd * t blocks
    final double[][] z; // attention output, block c * (query positions) + query position
    final double[][] scores; // [t] blocks
    final double[] coef; // [n]
    final double[] zRow; // [rows of the first layer, hd]: its attention output, row-major
    final INDArray xf; // [n, d] residual stream after the last layer, last position
    final INDArray logitsA; // [n, p]
    final double[] logits;
    final float[][] rows; // [t][dm]: one example's pre or dpre rows (fold)
    double[] dLogits;
    INDArray dLogitsA;
    INDArray dXf;
    Back lastBack;
    Back allBack;
    INDArray dXa; // [N, d], two buffers: the gradient at a layer's output and at its input
    INDArray dXb;
    double[] dXj; // [N * d]
    double[][] dQkv; // blocks as qkv
    double[][] dz; // blocks as z
    double[] dTable; // [slots, 3 * hd]
    double[] weighted; // [n]
    double[] dScores; // [h, slots, slots]: the first layer's score gradient per slot pair
    INDArray dSh; // [slots, slots]
    INDArray dQh; // [slots, d_head]
    INDArray dKh;
    double[] dHead; // [slots * d_head]
    INDArray dQkvT; // [3 * hd, N]

    Work(Batch b) {
      n = b.size();
      rowsAll = n * t;
      labels = b.labels();
      slotOf = new int[rowsAll];
      int[] tok = b.tokens();
      for (int i = 0; i < n; i++) {
        for (int pos = 0; pos < t; pos++) {
          slotOf[pos * n + i] = ExactOneLayer.slot(p, pos, tok[i * t + pos]);
        }
      }
      for (int l = 0; l < layers; l++) {
        lw[l] = new LayerWork(l, n);
      }
      int above = layers > 1 ? 1 : 0; // the blocks serve the layers above the first only
      qkv = new double[above * 3 * hd * t][n];
      z = new double[above * hd * t][n];
      scores = new double[t][n];
      coef = new double[n];
      zRow = new double[lw[0].rows * hd];
      xf = Nd4j.create(dt, n, d);
      logitsA = Nd4j.create(dt, n, p);
      logits = new double[n * p];
      rows = fold ? new float[t][dm] : null;
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
      int above = layers > 1 ? 1 : 0;
      dQkv = new double[above * 3 * hd * t][n];
      dz = new double[above * hd * t][n];
      dTable = new double[slots * 3 * hd];
      weighted = new double[n];
      dScores = new double[h * slots * slots];
      dSh = Nd4j.create(dt, slots, slots);
      dQh = Nd4j.create(dt, slots, dh);
      dKh = Nd4j.create(dt, slots, dh);
      dHead = new double[slots * dh];
      dQkvT = layers > 1 ? Nd4j.create(dt, 3 * hd, rowsAll) : null;
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
    // fold: per-slot sums of dpre (S_R) and of A' dpre per head (S[h]), and their products
    final float[][] sR = fold ? new float[slots][dm] : null;
    final float[][] sH = fold ? new float[h * slots][dm] : null;
    final INDArray sA = fold ? Nd4j.create(dt, slots, dm) : null;
    final INDArray tH = fold ? Nd4j.create(dt, dh, dm) : null;

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
    double[] attn = new double[w.n * h * t]; // [n, h, t]
    for (int hh = 0; hh < h; hh++) {
      for (int tk = 0; tk < t; tk++) {
        double[] a = last.attnAt(hh, t - 1, tk);
        for (int i = 0; i < w.n; i++) {
          attn[(i * h + hh) * t + tk] = a[i];
        }
      }
    }
    return new Probe(loss, w.logitsA.dup(), last.xm.dup(), last.post.dup(), attn);
  }

  /** The forward pass; with {@code gradients} it keeps act' and leaves dLoss/dlogits. */
  private double forward(Work w, Weights wt, boolean gradients) {
    Rows.gather(wt.r, w.slotOf, w.lw[0].x);
    for (int l = 0; l < layers; l++) {
      LayerWork lw = w.lw[l];
      boolean last = l == layers - 1;
      if (l > 0 && last) {
        lastLayerQkv(w, wt, l);
      } else if (l > 0) {
        Blas.gemm(wt.wqkv[l], lw.x, lw.qkvT, true, true, 1.0, 0.0);
      }
      lw.xm.assign(lw.xq);
      if (l == 0) {
        attentionOverSlots(w, wt);
        write(w.zRow, 0, lw.z);
        Blas.gemm(lw.z, wt.wo[l], lw.xm, false, false, 1.0, 1.0);
      } else {
        Rows.readBlocks(lw.qkvT, w.qkv, 3 * hd * t);
        attention(w, l);
        Rows.writeBlocks(w.z, hd * (t - lw.firstQuery), lw.z);
        Blas.gemm(lw.z, wt.wo[l], lw.xm, true, false, 1.0, 1.0);
      }
      if (l == 0 && fold) {
        foldedPre(w, wt);
      } else {
        Blas.gemm(lw.xm, wt.win(l), lw.post, false, false, 1.0, 0.0);
      }
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

  /**
   * The last layer's {@code QKV^T = W_QKV^T X^T} ([3 hd, N], position-major columns) with its
   * queries at the last position only, the one whose attention the loss sees: keys and values at
   * every row, queries at the last n rows (the other query columns are left as they are and never
   * read).
   */
  private void lastLayerQkv(Work w, Weights wt, int l) {
    LayerWork lw = w.lw[l];
    int rows = w.rowsAll;
    long last = (long) (t - 1) * w.n;
    INDArray wqkv = wt.wqkv[l];
    // K | V: rows hd.. of QKV^T, from columns hd.. of W_QKV, over every row of X
    Blas.gemmBlock(
        true,
        true,
        2 * hd,
        rows,
        d,
        1.0,
        Blas.block(wqkv, hd, 3 * hd),
        Blas.block(lw.x, 0, d),
        0.0,
        Blas.block(lw.qkvT, (long) hd * rows, rows));
    // Q: rows ..hd of QKV^T at the last position's columns, from that position's rows of X
    Blas.gemmBlock(
        true,
        true,
        hd,
        w.n,
        d,
        1.0,
        Blas.block(wqkv, 0, 3 * hd),
        Blas.block(lw.x, last * d, d),
        0.0,
        Blas.block(lw.qkvT, last, rows));
  }

  /**
   * {@link #lastLayerQkv} backwards: dW_QKV from the key and value gradients at every row and the
   * query gradients at the last position's rows, and their products back into {@code dIn}.
   */
  private void lastLayerQkvBackward(Work w, Weights wt, Grads g, int l, INDArray dIn) {
    LayerWork lw = w.lw[l];
    int rows = w.rowsAll;
    long last = (long) (t - 1) * w.n;
    INDArray wqkv = wt.wqkv[l];
    Blas.Block dKv = Blas.block(w.dQkvT, (long) hd * rows, rows);
    Blas.Block dQ = Blas.block(w.dQkvT, last, rows);
    Blas.gemmBlock(
        true,
        true,
        d,
        2 * hd,
        rows,
        1.0,
        Blas.block(lw.x, 0, d),
        dKv,
        0.0,
        Blas.block(g.dWqkv, hd, 3 * hd));
    Blas.gemmBlock(
        true,
        true,
        d,
        hd,
        w.n,
        1.0,
        Blas.block(lw.x, last * d, d),
        dQ,
        0.0,
        Blas.block(g.dWqkv, 0, 3 * hd));
    Blas.gemmBlock(
        true,
        true,
        rows,
        d,
        2 * hd,
        1.0,
        dKv,
        Blas.block(wqkv, hd, 3 * hd),
        1.0,
        Blas.block(dIn, 0, d));
    Blas.gemmBlock(
        true,
        true,
        w.n,
        d,
        hd,
        1.0,
        dQ,
        Blas.block(wqkv, 0, 3 * hd),
        1.0,
        Blas.block(dIn, last * d, d));
  }

  /**
   * The first layer's attention, over slots: its queries and keys are per-slot tables, so every
   * score is a lookup in the per-head slot-pair table ({@link Weights#scores}), and z = sum over
   * visible keys of (alpha A + 1 - alpha) V[slot] into {@code w.zRow}, row-major, a d_head-long
   * slice per head. Softmax weights go to the layer's blocks, as for the layers above.
   */
  private void attentionOverSlots(Work w, Weights wt) {
    LayerWork lw = w.lw[0];
    int n = w.n;
    int c3 = 3 * hd;
    double[] z = w.zRow;
    double[] sc = new double[t];
    Arrays.fill(z, 0);
    for (int tq = lw.firstQuery; tq < t; tq++) {
      int visible = causal ? tq + 1 : t;
      for (int i = 0; i < n; i++) {
        int qs = w.slotOf[tq * n + i];
        int zo = (lw.rows == n ? i : tq * n + i) * hd;
        for (int hh = 0; hh < h; hh++) {
          double[] st = wt.scores[hh];
          double max = Double.NEGATIVE_INFINITY;
          for (int tk = 0; tk < visible; tk++) {
            sc[tk] = st[qs * slots + w.slotOf[tk * n + i]];
            max = Math.max(max, sc[tk]);
          }
          double sum = 0;
          for (int tk = 0; tk < visible; tk++) {
            sc[tk] = Math.exp(sc[tk] - max);
            sum += sc[tk];
          }
          for (int tk = 0; tk < visible; tk++) {
            double a = sc[tk] / sum;
            lw.attnAt(hh, tq, tk)[i] = a;
            int vo = w.slotOf[tk * n + i] * c3 + 2 * hd + hh * dh;
            axpy(alpha * a + (1 - alpha), wt.tableJ, vo, z, zo + hh * dh, dh);
          }
        }
      }
    }
  }

  /**
   * The first layer's {@code pre = XM W_in} from slot tables into its {@code post} buffer: per row,
   * RI of its slot plus, per head and visible key, (alpha A + 1 - alpha) times the VOI row of the
   * key's slot (class comment).
   */
  private void foldedPre(Work w, Weights wt) {
    LayerWork lw = w.lw[0];
    int n = w.n;
    FloatBuffer out = lw.post.data().asNioFloat();
    float[][] rows = w.rows;
    for (int i = 0; i < n; i++) {
      for (int tq = lw.firstQuery; tq < t; tq++) {
        System.arraycopy(wt.ri[w.slotOf[tq * n + i]], 0, rows[tq], 0, dm);
      }
      // a key's table row serves every query position that sees it while it is in L1
      for (int tk = 0; tk < t; tk++) {
        int key = w.slotOf[tk * n + i];
        for (int hh = 0; hh < h; hh++) {
          float[] v = wt.voi[hh * slots + key];
          for (int tq = Math.max(lw.firstQuery, causal ? tk : 0); tq < t; tq++) {
            axpy((float) (alpha * lw.attnAt(hh, tq, tk)[i] + (1 - alpha)), v, rows[tq], dm);
          }
        }
      }
      for (int tq = lw.firstQuery; tq < t; tq++) {
        out.put((lw.rows == n ? i : tq * n + i) * dm, rows[tq]);
      }
    }
  }

  /**
   * The first layer's {@code dW_in = XM^T dpre} from slot tables: XM at a row is R of its slot plus
   * the attention-weighted V[h] W_O[h] rows of the visible keys' slots, so with S_R[σ] the sum of
   * dpre over the rows of slot σ and S[h][σ] the sum of (alpha A + 1 - alpha) dpre over the (row,
   * key) pairs whose key has slot σ, dW_in = R^T S_R + sum_h W_O[h]^T (V[h]^T S[h]).
   */
  private void foldedWin(Work w, Weights wt, Grads g, INDArray dPost) {
    LayerWork lw = w.lw[0];
    int n = w.n;
    for (float[] a : g.sR) {
      Arrays.fill(a, 0f);
    }
    for (float[] a : g.sH) {
      Arrays.fill(a, 0f);
    }
    FloatBuffer in = dPost.data().asNioFloat();
    float[][] rows = w.rows;
    for (int i = 0; i < n; i++) {
      for (int tq = lw.firstQuery; tq < t; tq++) {
        in.get((lw.rows == n ? i : tq * n + i) * dm, rows[tq]);
        axpy(1f, rows[tq], g.sR[w.slotOf[tq * n + i]], dm);
      }
      for (int tk = 0; tk < t; tk++) {
        int key = w.slotOf[tk * n + i];
        for (int hh = 0; hh < h; hh++) {
          float[] acc = g.sH[hh * slots + key];
          for (int tq = Math.max(lw.firstQuery, causal ? tk : 0); tq < t; tq++) {
            axpy((float) (alpha * lw.attnAt(hh, tq, tk)[i] + (1 - alpha)), rows[tq], acc, dm);
          }
        }
      }
    }
    Rows.writeRows(g.sR, 0, g.sA);
    Blas.gemm(wt.r, g.sA, g.dWin[0], true, false, 1.0, 0.0);
    for (int hh = 0; hh < h; hh++) {
      Rows.writeRows(g.sH, hh * slots, g.sA);
      Blas.gemm(wt.vh[hh], g.sA, g.tH, true, false, 1.0, 0.0);
      Blas.gemm(wt.woH[hh], g.tH, g.dWin[0], true, false, 1.0, 1.0);
    }
  }

  /**
   * {@code y[i] += a[i] * b[i]} for i below n: the attention's one kernel. All three indexed from
   * 0, so that the JIT vectorises it (with offsets it does not: measured, docs/PERFORMANCE.md).
   */
  private static void mulAdd(double[] y, double[] a, double[] b, int n) {
    for (int i = 0; i < n; i++) {
      y[i] += a[i] * b[i];
    }
  }

  /**
   * Attention of layer l into the blocks {@code w.z} and the layer's softmax blocks: per head and
   * query position (the last only in the last layer), over all examples at once, A = softmax over
   * the visible keys of q·k / sqrt(d_head), z = sum over visible keys of (alpha A + 1 - alpha) v.
   * Under the causal mask a key after the query is invisible: the reference's -1e9 score and
   * lower-triangular J give it weight exactly 0.
   */
  private void attention(Work w, int l) {
    LayerWork lw = w.lw[l];
    int n = w.n;
    int nq = t - lw.firstQuery;
    double[][] src = w.qkv;
    double[][] s = w.scores;
    double[] coef = w.coef;
    for (double[] blk : lw.attn) {
      Arrays.fill(blk, 0);
    }
    for (int b = 0; b < hd * nq; b++) {
      Arrays.fill(w.z[b], 0);
    }
    for (int hh = 0; hh < h; hh++) {
      for (int tq = lw.firstQuery; tq < t; tq++) {
        int visible = causal ? tq + 1 : t;
        for (int tk = 0; tk < visible; tk++) {
          Arrays.fill(s[tk], 0);
          for (int k = 0; k < dh; k++) {
            int c = hh * dh + k;
            mulAdd(s[tk], src[c * t + tq], src[(hd + c) * t + tk], n);
          }
        }
        for (int i = 0; i < n; i++) {
          double max = Double.NEGATIVE_INFINITY;
          for (int tk = 0; tk < visible; tk++) {
            max = Math.max(max, s[tk][i] * scale);
          }
          double sum = 0;
          for (int tk = 0; tk < visible; tk++) {
            double e = Math.exp(s[tk][i] * scale - max);
            s[tk][i] = e;
            sum += e;
          }
          for (int tk = 0; tk < visible; tk++) {
            lw.attnAt(hh, tq, tk)[i] = s[tk][i] / sum;
          }
        }
        for (int tk = 0; tk < visible; tk++) {
          double[] a = lw.attnAt(hh, tq, tk);
          for (int i = 0; i < n; i++) {
            coef[i] = alpha * a[i] + (1 - alpha);
          }
          for (int k = 0; k < dh; k++) {
            int c = hh * dh + k;
            mulAdd(w.z[c * nq + tq - lw.firstQuery], coef, src[(2 * hd + c) * t + tk], n);
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
    if (l == 0 && fold) {
      foldedWin(w, wt, g, b.dPost);
    } else {
      Blas.gemm(lw.xm, b.dPost, g.dWin[l], true, false, 1.0, 0.0);
    }
    Blas.columnSums(b.dPost, g.dBin[l]);
    b.dXm.assign(dOut);
    Blas.gemm(b.dPost, win, b.dXm, false, true, 1.0, 1.0);
    // XM = X + Z W_O
    if (l == 0) {
      Blas.gemm(lw.z, b.dXm, g.dWo[l], true, false, 1.0, 0.0);
      Blas.gemm(b.dXm, wt.wo[l], b.dZ, false, true, 1.0, 0.0);
    } else {
      Blas.gemm(lw.z, b.dXm, g.dWo[l], false, false, 1.0, 0.0);
      Blas.gemm(wt.wo[l], b.dXm, b.dZT, false, true, 1.0, 0.0);
    }
    if (last) { // only the last position's rows of X reach XM directly
      dIn.assign(0);
      dIn.get(NDArrayIndex.interval((long) (t - 1) * w.n, (long) t * w.n), NDArrayIndex.all())
          .assign(b.dXm);
    } else {
      dIn.assign(b.dXm);
    }
    // attention, back to Q | K | V
    if (l == 0) {
      read(b.dZ, w.zRow);
      attentionOverSlotsBackward(w, wt, g);
      Blas.gemm(wt.r, g.dTable, g.dWqkv, true, false, 1.0, 0.0);
      Blas.gemm(g.dTable, wt.wqkv[0], g.dR, false, true, 1.0, 0.0);
    } else {
      Rows.readBlocks(b.dZT, w.dz, hd * (t - lw.firstQuery));
      if (!last) { // the last layer's blocks are still there: the forward pass read them last
        Rows.readBlocks(lw.qkvT, w.qkv, 3 * hd * t);
      }
      for (double[] blk : w.dQkv) {
        Arrays.fill(blk, 0);
      }
      attentionBackward(w, l);
      Rows.writeBlocks(w.dQkv, 3 * hd * t, w.dQkvT);
      if (last) {
        lastLayerQkvBackward(w, wt, g, l, dIn);
      } else {
        Blas.gemm(lw.x, w.dQkvT, g.dWqkv, true, true, 1.0, 0.0);
        Blas.gemm(w.dQkvT, wt.wqkv[l], dIn, true, true, 1.0, 1.0);
      }
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
   * The first layer's attention backwards, from dZ ({@code w.zRow}, row-major) to the gradient of
   * its per-slot table, {@code g.dTable}: values per slot directly, and the score gradient summed
   * per (head, query slot, key slot) pair, then chained to the slot queries and keys by two small
   * products per head.
   */
  private void attentionOverSlotsBackward(Work w, Weights wt, Grads g) {
    LayerWork lw = w.lw[0];
    int n = w.n;
    int c3 = 3 * hd;
    double[] dz = w.zRow;
    double[] dTab = w.dTable;
    double[] dS = w.dScores;
    double[] dA = new double[t];
    Arrays.fill(dTab, 0);
    Arrays.fill(dS, 0);
    for (int tq = lw.firstQuery; tq < t; tq++) {
      int visible = causal ? tq + 1 : t;
      for (int i = 0; i < n; i++) {
        int qs = w.slotOf[tq * n + i];
        int zo = (lw.rows == n ? i : tq * n + i) * hd;
        for (int hh = 0; hh < h; hh++) {
          double weighted = 0;
          for (int tk = 0; tk < visible; tk++) {
            double a = lw.attnAt(hh, tq, tk)[i];
            int vo = w.slotOf[tk * n + i] * c3 + 2 * hd + hh * dh;
            axpy(alpha * a + (1 - alpha), dz, zo + hh * dh, dTab, vo, dh);
            dA[tk] = alpha * dot(dz, zo + hh * dh, wt.tableJ, vo, dh);
            weighted += a * dA[tk];
          }
          int so = (hh * slots + qs) * slots;
          for (int tk = 0; tk < visible; tk++) {
            double a = lw.attnAt(hh, tq, tk)[i];
            dS[so + w.slotOf[tk * n + i]] += a * (dA[tk] - weighted) * scale;
          }
        }
      }
    }
    if (alpha != 0) {
      for (int hh = 0; hh < h; hh++) {
        write(dS, hh * slots * slots, w.dSh);
        Blas.gemm(w.dSh, wt.kh[hh], w.dQh, false, false, 1.0, 0.0);
        Blas.gemm(w.dSh, wt.qh[hh], w.dKh, true, false, 1.0, 0.0);
        addHeadColumns(w.dQh, w.dHead, dTab, hh * dh);
        addHeadColumns(w.dKh, w.dHead, dTab, hd + hh * dh);
      }
    }
    write(dTab, 0, g.dTable);
  }

  /** Adds a [slots, d_head] array into columns from..from + d_head of the [slots, 3 * hd] table. */
  private void addHeadColumns(INDArray head, double[] buf, double[] tab, int from) {
    read(head, buf);
    for (int sl = 0; sl < slots; sl++) {
      for (int k = 0; k < dh; k++) {
        tab[sl * 3 * hd + from + k] += buf[sl * dh + k];
      }
    }
  }

  /**
   * The attention of layer l backwards: from the blocks {@code w.dz} to the gradient of its Q | K |
   * V, accumulated into the blocks {@code w.dQkv} (as {@code w.qkv}).
   */
  private void attentionBackward(Work w, int l) {
    LayerWork lw = w.lw[l];
    int n = w.n;
    int nq = t - lw.firstQuery;
    double[][] src = w.qkv;
    double[][] dSrc = w.dQkv;
    double[][] dA = w.scores;
    double[] coef = w.coef;
    double[] weighted = w.weighted;
    for (int hh = 0; hh < h; hh++) {
      for (int tq = lw.firstQuery; tq < t; tq++) {
        int visible = causal ? tq + 1 : t;
        int zb = tq - lw.firstQuery;
        for (int tk = 0; tk < visible; tk++) {
          double[] a = lw.attnAt(hh, tq, tk);
          for (int i = 0; i < n; i++) {
            coef[i] = alpha * a[i] + (1 - alpha);
          }
          Arrays.fill(dA[tk], 0);
          for (int k = 0; k < dh; k++) {
            int c = hh * dh + k;
            double[] dz = w.dz[c * nq + zb];
            double[] v = src[(2 * hd + c) * t + tk];
            mulAdd(dSrc[(2 * hd + c) * t + tk], coef, dz, n);
            if (alpha != 0) {
              mulAdd(dA[tk], dz, v, n);
            }
          }
        }
        if (alpha == 0) {
          continue; // the softmax part has weight 0: no gradient reaches Q or K
        }
        // dA holds dz . v; the score gradient is alpha a (dA - sum over keys of a dA) /
        // sqrt(d_head)
        Arrays.fill(weighted, 0);
        for (int tk = 0; tk < visible; tk++) {
          double[] a = lw.attnAt(hh, tq, tk);
          for (int i = 0; i < n; i++) {
            weighted[i] += a[i] * dA[tk][i];
          }
        }
        double f = alpha * scale;
        for (int tk = 0; tk < visible; tk++) {
          double[] a = lw.attnAt(hh, tq, tk);
          double[] ds = dA[tk];
          for (int i = 0; i < n; i++) {
            ds[i] = a[i] * (ds[i] - weighted[i]) * f;
          }
          for (int k = 0; k < dh; k++) {
            int c = hh * dh + k;
            mulAdd(dSrc[c * t + tq], ds, src[(hd + c) * t + tk], n);
            mulAdd(dSrc[(hd + c) * t + tk], ds, src[c * t + tq], n);
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
