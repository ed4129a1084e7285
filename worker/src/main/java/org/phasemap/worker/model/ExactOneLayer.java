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
 * The exact reformulation of a one-layer model (SCIENCE.md section 6): the same function and the
 * same gradients as {@link TransformerGraph}, up to float rounding, with far less arithmetic.
 *
 * <p>Only the last position's logits enter the loss and there is one layer, so the MLP, the
 * unembedding and the attention query are needed at the last position only. Every input vector is a
 * token embedding plus a positional embedding, drawn from a few "slots" σ = (position, token): 2p
 * of them, plus the '=' slot when present. Linear maps of a slot's residual vector are computed
 * once per step as tables over slots, and the maps after attention are folded together:
 *
 * <pre>
 *   R[σ]        = W_E[token] + W_pos[position]           residual vector of a slot
 *   Q,K,V[σ,h]  = R[σ] W_{Q,K,V}[h]                       per head, per slot
 *   W_OI = W_O W_in,  W_OU = W_O W_U,  M = W_out W_U       (W_O as [heads * d_head, d_model])
 *   RI[q] = R[q] W_in + b_in,  RU[q] = R[q] W_U + b_out W_U    at the query (last-position) slots
 * </pre>
 *
 * Per example with slots s_0..s_{T-1} and query slot q = s_{T-1}: A[h,t] =
 * softmax_t(Q[q,h]·K[s_t,h] / sqrt(d_head)) (at the last position a causal mask hides nothing), A'
 * = alpha A + (1 - alpha), and the attention output z = concat_h sum_t A'[h,t] V[s_t,h]
 * (d_head-sized work per head). Then, for the whole batch at once (Qsel = one-hot of each example's
 * query slot):
 *
 * <pre>
 *   pre    = Z W_OI + Qsel RI
 *   logits = act(pre) M + Z W_OU + Qsel RU
 * </pre>
 *
 * These and their backward products are GEMMs on ND4J's BLAS in the run's precision, except the
 * products with the one-hot Qsel: with several query slots they are row gathers (forward) and
 * per-slot row sums (backward) in Java, O(n * cols) rather than O(n * p * cols). The attention (a
 * few d_head-long vectors per example) also runs in Java loops. All arrays are allocated once per
 * model and batch and refilled in place: allocating ND4J arrays costs more than these products
 * (measured: 2-7 ms for a 1 MB result against 0.2 ms for the product). Applies to one-layer models,
 * ReLU or GeLU ({@link #supports}).
 *
 * <p>In float32 the product Z W_OI is folded further, into per-head tables over slots (docs/
 * PERFORMANCE.md): Z W_OI = sum_h sum_t A'[h,t] VOI[h][s_t] with VOI[h] = V[h] W_OI[h] ([slots,
 * d_mlp] per head, W_OI[h] the head's d_head rows of W_OI), so each example's MLP input is its
 * query slot's RI row plus heads x positions scaled table rows: (1 + h t) d_mlp multiply-adds
 * instead of h d_head d_mlp. Backward, the table's gradient S[h][σ] = sum of A' dpre over the
 * examples with slot σ gives dW_OI[h] = V[h]^T S[h], a small product, in place of the GEMM Z^T
 * dpre. The gradient of Z (so of A' and V) through the MLP input stays the GEMM dZ += dpre W_OI^T:
 * as heads x positions d_mlp-long dot products per example in Java it took twice as long (C2 does
 * not vectorise a float sum). The rows are Java float arrays indexed from 0, so the loops
 * vectorise. Float64 runs, and narrow heads where the GEMMs cost less (d_model 32 with 4 heads),
 * keep the GEMMs.
 */
public final class ExactOneLayer implements ModelFunction {
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
  private final int slots;
  private final int querySlots;
  private final int firstQuery;
  private final double alpha;
  private final double scale;
  private final Activation activation;

  /**
   * Whether Z W_OI is folded into per-head slot tables (float32, where it pays; see the class
   * comment and the constructor). The system property {@code phasemap.exactFold} ({@code auto} by
   * default) forces it on with {@code true} or off with {@code false}, for tests and to measure one
   * against the other.
   */
  private final boolean fold;

  private final Map<Batch, Work> work = new IdentityHashMap<>();
  private Tables tables;
  private Grads grads;

  ExactOneLayer(RunConfig config, Parameters parameters) {
    if (!supports(config)) {
      throw new IllegalArgumentException(
          "Cannot use the exact one-layer step for n_layers="
              + config.nLayers()
              + ", activation="
              + " (it needs n_layers=1)");
    }
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
    this.slots = config.equalsToken() ? 2 * p + 1 : 2 * p;
    this.querySlots = config.equalsToken() ? 1 : p;
    this.firstQuery = config.equalsToken() ? 2 * p : p;
    this.alpha = config.attentionRate();
    this.scale = 1.0 / Math.sqrt(dh);
    this.activation = Activation.of(config);
    // Per example the fold trades 2 hd d_mlp GEMM multiply-adds (pre and dW_OI) for (1 + 2 h t)
    // d_mlp Java row updates; one update cost about three GEMM multiply-adds (docs/PERFORMANCE.md:
    // at d = 32 with 4 heads the fold was 1.1-1.2x slower, at d = 64 0.89x), so it is used where it
    // removes at least six times as much.
    String mode = System.getProperty("phasemap.exactFold", "auto");
    this.fold =
        dt == DataType.FLOAT
            && (mode.equals("true") || (mode.equals("auto") && hd >= 3 * (1 + 2 * h * t)));
  }

  /** True for the models this formulation covers: one layer (ReLU or GeLU). */
  public static boolean supports(RunConfig c) {
    return c.nLayers() == 1;
  }

  @Override
  public String implementation() {
    return "exact-one-layer";
  }

  @Override
  public Parameters parameters() {
    return parameters;
  }

  /**
   * Slot of token {@code x} at position {@code pos}: (position, token) pairs numbered p * pos + x
   * for the two number positions, then 2p for the '=' token at position 2.
   */
  static int slot(int p, int pos, int x) {
    return pos < 2 ? pos * p + x : 2 * p;
  }

  /** Token of slot {@code s} (p for the '=' slot). */
  static int slotToken(int p, int s) {
    return s < 2 * p ? s % p : p;
  }

  /** Position of slot {@code s}. */
  static int slotPosition(int p, int s) {
    return s < 2 * p ? s / p : 2;
  }

  /** {@code r[σ] = W_E[token(σ)] + W_pos[position(σ)]} for every slot, rows of {@code d}. */
  static void slotResiduals(int p, int slots, int d, double[] wE, double[] wPos, double[] r) {
    for (int s = 0; s < slots; s++) {
      int tok = slotToken(p, s);
      int pos = slotPosition(p, s);
      for (int j = 0; j < d; j++) {
        r[s * d + j] = wE[tok * d + j] + wPos[pos * d + j];
      }
    }
  }

  /** Chains a gradient over the slots' residual vectors back to W_E and W_pos (overwritten). */
  static void embeddingGradients(int p, int slots, int d, double[] dr, double[] dE, double[] dPos) {
    Arrays.fill(dE, 0);
    Arrays.fill(dPos, 0);
    for (int s = 0; s < slots; s++) {
      axpy(1.0, dr, s * d, dE, slotToken(p, s) * d, d);
      axpy(1.0, dr, s * d, dPos, slotPosition(p, s) * d, d);
    }
  }

  /** Per-batch buffers, allocated once per batch and reused every step. */
  private final class Work {
    final int n;
    final int[] slotOf; // [n * t]
    final int[] labels;
    final double[] attn; // softmax A [n, h, t]
    final double[] z; // attention output [n, h * dh]
    final double[] logits; // [n, p]
    final INDArray qsel; // one-hot query slot [n, querySlots], for the probe
    final int[] qidx; // query slot of each example, minus firstQuery [n]
    double[] rowScratch; // [n * dm], float64 runs
    float[] floatScratch; // [n * dm], float32 runs
    final INDArray zA; // [n, hd]
    final INDArray post; // [n, dm]: pre, then act(pre) in place
    final INDArray actScratch; // [n, dm] for GeLU, else null
    final INDArray logitsA; // [n, p]
    INDArray mask; // [n, dm]: act'(pre)
    INDArray dLogitsA;
    INDArray dPost; // [n, dm]: dpost, then dpre in place
    INDArray dZA; // [n, hd]
    double[] dLogits;
    double[] dZ;
    final float[] row; // [dm]: one example's pre or dpre, folded float32 path

    Work(Batch b) {
      n = b.size();
      labels = b.labels();
      slotOf = new int[n * t];
      int[] tok = b.tokens();
      double[] onehot = new double[n * querySlots];
      int[] query = new int[n];
      for (int i = 0; i < n; i++) {
        for (int pos = 0; pos < t; pos++) {
          slotOf[i * t + pos] = slot(p, pos, tok[i * t + pos]);
        }
        query[i] = slotOf[i * t + t - 1] - firstQuery;
        onehot[i * querySlots + query[i]] = 1.0;
      }
      qsel = Nd4j.create(onehot, new long[] {n, querySlots}, DataType.DOUBLE).castTo(dt);
      qidx = query;
      attn = new double[n * h * t];
      z = new double[n * hd];
      logits = new double[n * p];
      zA = Nd4j.create(dt, n, hd);
      post = Nd4j.create(dt, n, dm);
      actScratch = activation.needsScratch(dt) ? Nd4j.create(dt, n, dm) : null;
      logitsA = Nd4j.create(dt, n, p);
      row = fold ? new float[dm] : null;
    }

    void allocateBackward() {
      if (dLogitsA == null) {
        mask = Nd4j.create(dt, n, dm);
        dLogitsA = Nd4j.create(dt, n, p);
        dPost = Nd4j.create(dt, n, dm);
        dZA = Nd4j.create(dt, n, hd);
        dLogits = new double[n * p];
        dZ = new double[n * hd];
        if (dt == DataType.DOUBLE) {
          rowScratch = new double[n * dm];
        } else {
          floatScratch = new float[n * dm];
        }
      }
    }
  }

  /** The per-step tables, see the class comment; refilled in place every step. */
  private final class Tables {
    final INDArray r = Nd4j.create(dt, slots, d);
    final INDArray rq = Nd4j.create(dt, querySlots, d);
    final INDArray[] q = new INDArray[h];
    final INDArray[] k = new INDArray[h];
    final INDArray[] v = new INDArray[h];
    final INDArray[] wq = new INDArray[h];
    final INDArray[] wk = new INDArray[h];
    final INDArray[] wv = new INDArray[h];
    final INDArray wo = Nd4j.create(dt, hd, d);
    final INDArray woi = Nd4j.create(dt, hd, dm);
    final INDArray wou = Nd4j.create(dt, hd, p);
    final INDArray ri = Nd4j.create(dt, querySlots, dm);
    final INDArray ru = Nd4j.create(dt, querySlots, p);
    final INDArray bu = Nd4j.create(dt, 1, p);
    final INDArray m = Nd4j.create(dt, dm, p);
    final double[][] qj = new double[h][slots * dh];
    final double[][] kj = new double[h][slots * dh];
    final double[][] vj = new double[h][slots * dh];
    final double[] scores = new double[querySlots * slots * h]; // scaled
    final double[] rj = new double[slots * d];
    final double[] ej = new double[config.inputVocab() * d];
    final double[] pj = new double[t * d];
    // folded float32 path: W_OI[h] (the head's rows of W_OI), VOI[h] = V[h] W_OI[h]
    final INDArray woiH = fold ? Nd4j.create(dt, dh, dm) : null;
    final INDArray voiA = fold ? Nd4j.create(dt, slots, dm) : null;
    final float[][] voi = fold ? new float[h * slots][dm] : null; // row h * slots + σ
    final float[][] riRows = fold ? new float[querySlots][dm] : null;

    Tables() {
      for (int hh = 0; hh < h; hh++) {
        q[hh] = Nd4j.create(dt, slots, dh);
        k[hh] = Nd4j.create(dt, slots, dh);
        v[hh] = Nd4j.create(dt, slots, dh);
        wq[hh] = Nd4j.create(dt, d, dh);
        wk[hh] = Nd4j.create(dt, d, dh);
        wv[hh] = Nd4j.create(dt, d, dh);
      }
    }

    void refresh() {
      read(parameters.get("embed.W_E"), ej);
      read(parameters.get("pos_embed.W_pos"), pj);
      slotResiduals(p, slots, d, ej, pj, rj);
      write(rj, 0, r);
      write(rj, firstQuery * d, rq);
      INDArray win = parameters.get("blocks.0.mlp.W_in");
      INDArray wu = parameters.get("unembed.W_U");
      INDArray pq = parameters.get("blocks.0.attn.W_Q");
      INDArray pk = parameters.get("blocks.0.attn.W_K");
      INDArray pv = parameters.get("blocks.0.attn.W_V");
      wo.assign(parameters.get("blocks.0.attn.W_O").reshape(hd, d));
      for (int hh = 0; hh < h; hh++) {
        wq[hh].assign(pq.slice(hh));
        wk[hh].assign(pk.slice(hh));
        wv[hh].assign(pv.slice(hh));
        Blas.gemm(r, wq[hh], q[hh], false, false, 1.0, 0.0);
        Blas.gemm(r, wk[hh], k[hh], false, false, 1.0, 0.0);
        Blas.gemm(r, wv[hh], v[hh], false, false, 1.0, 0.0);
        read(q[hh], qj[hh]);
        read(k[hh], kj[hh]);
        read(v[hh], vj[hh]);
      }
      Blas.gemm(wo, win, woi, false, false, 1.0, 0.0);
      if (fold) {
        for (int hh = 0; hh < h; hh++) {
          woiH.assign(woi.get(NDArrayIndex.interval(hh * dh, (hh + 1) * dh), NDArrayIndex.all()));
          Blas.gemm(v[hh], woiH, voiA, false, false, 1.0, 0.0);
          Rows.readRows(voiA, voi, hh * slots);
        }
      }
      Blas.gemm(wo, wu, wou, false, false, 1.0, 0.0);
      Blas.gemm(rq, win, ri, false, false, 1.0, 0.0);
      ri.addiRowVector(parameters.get("blocks.0.mlp.b_in"));
      if (fold) {
        Rows.readRows(ri, riRows, 0);
      }
      Blas.gemm(parameters.get("blocks.0.mlp.b_out").reshape(1, d), wu, bu, false, false, 1.0, 0.0);
      Blas.gemm(rq, wu, ru, false, false, 1.0, 0.0);
      ru.addiRowVector(bu);
      Blas.gemm(parameters.get("blocks.0.mlp.W_out"), wu, m, false, false, 1.0, 0.0);
      for (int qi = 0; qi < querySlots; qi++) {
        int qs = firstQuery + qi;
        for (int s = 0; s < slots; s++) {
          for (int hh = 0; hh < h; hh++) {
            scores[(qi * slots + s) * h + hh] = dot(qj[hh], qs * dh, kj[hh], s * dh, dh) * scale;
          }
        }
      }
    }
  }

  /** Gradient buffers of the tables and parameters, allocated once. */
  private final class Grads {
    final double[][] dQ = new double[h][slots * dh];
    final double[][] dK = new double[h][slots * dh];
    final double[][] dV = new double[h][slots * dh];
    // the score gradient summed per (query slot - firstQuery, key slot), per head
    final double[][] dS = new double[h][querySlots * slots];
    final double[] dr = new double[slots * d];
    final double[] dRqJ = new double[querySlots * d];
    final double[] dE = new double[config.inputVocab() * d];
    final double[] dP = new double[t * d];
    final INDArray dM = Nd4j.create(dt, dm, p);
    final INDArray dWoi = Nd4j.create(dt, hd, dm);
    final INDArray dWou = Nd4j.create(dt, hd, p);
    final INDArray dRi = Nd4j.create(dt, querySlots, dm);
    final INDArray dRu = Nd4j.create(dt, querySlots, p);
    final INDArray dRq = Nd4j.create(dt, querySlots, d);
    final INDArray dR = Nd4j.create(dt, slots, d);
    final INDArray dH = Nd4j.create(dt, slots, dh);
    final INDArray dWhead = Nd4j.create(dt, d, dh);
    final INDArray dWo = Nd4j.create(dt, hd, d);
    final INDArray dWin = Nd4j.create(dt, d, dm);
    final INDArray dWu = Nd4j.create(dt, d, p);
    final INDArray dWout = Nd4j.create(dt, dm, d);
    final INDArray dBu = Nd4j.create(dt, 1, p);
    final INDArray dBout = Nd4j.create(dt, d, 1);
    final INDArray dWq = Nd4j.create(dt, h, d, dh);
    final INDArray dWk = Nd4j.create(dt, h, d, dh);
    final INDArray dWv = Nd4j.create(dt, h, d, dh);
    final INDArray dBin = Nd4j.create(dt, 1, dm);
    final INDArray dEA = Nd4j.create(dt, config.inputVocab(), d);
    final INDArray dPA = Nd4j.create(dt, t, d);
    // folded float32 path: S[h][σ] (row h * slots + σ), its per-head copy and products
    final float[][] s = fold ? new float[h * slots][dm] : null;
    final INDArray sA = fold ? Nd4j.create(dt, slots, dm) : null;
    final INDArray dWoiH = fold ? Nd4j.create(dt, dh, dm) : null;

    /**
     * The gradients by parameter name, over the buffers above (views in the parameters' shapes).
     */
    final Map<String, INDArray> byName = new LinkedHashMap<>();

    Grads() {
      byName.put("embed.W_E", dEA);
      byName.put("pos_embed.W_pos", dPA);
      byName.put("blocks.0.attn.W_Q", dWq);
      byName.put("blocks.0.attn.W_K", dWk);
      byName.put("blocks.0.attn.W_V", dWv);
      byName.put("blocks.0.attn.W_O", dWo.reshape(h, dh, d));
      byName.put("blocks.0.mlp.W_in", dWin);
      byName.put("blocks.0.mlp.b_in", dBin.reshape(dm));
      byName.put("blocks.0.mlp.W_out", dWout);
      byName.put("blocks.0.mlp.b_out", dBout.reshape(d));
      byName.put("unembed.W_U", dWu);
    }

    void clear() {
      for (int hh = 0; hh < h; hh++) {
        Arrays.fill(dQ[hh], 0);
        Arrays.fill(dK[hh], 0);
        Arrays.fill(dV[hh], 0);
        Arrays.fill(dS[hh], 0);
      }
    }
  }

  private Tables tables() {
    if (tables == null) {
      tables = new Tables();
    }
    tables.refresh();
    return tables;
  }

  private Work work(Batch b) {
    return work.computeIfAbsent(b, Work::new);
  }

  @Override
  public Output evaluate(Batch batch) {
    Work w = work(batch);
    double loss = forward(w, tables(), false);
    return new Output(loss, w.logitsA.dup());
  }

  /**
   * The forward pass with its intermediates. The MLP input at the query position is R[q] + Z W_O
   * (the attention block has no bias), computed here only: training needs just its product with
   * W_in, which the tables fold into W_OI and RI.
   */
  @Override
  public Probe probe(Batch batch) {
    Work w = work(batch);
    Tables tb = tables();
    double loss = forward(w, tb, false);
    INDArray mlpIn = Nd4j.create(dt, w.n, d);
    Blas.gemm(w.zA, tb.wo, mlpIn, false, false, 1.0, 0.0);
    Blas.gemm(w.qsel, tb.rq, mlpIn, false, false, 1.0, 1.0);
    return new Probe(loss, w.logitsA.dup(), mlpIn, w.post.dup(), w.attn.clone());
  }

  /**
   * Attention, the two batched products and the loss. With {@code gradients} it also leaves
   * dLoss/dlogits in {@code w.dLogits}.
   */
  private double forward(Work w, Tables tb, boolean gradients) {
    final int n = w.n;
    final double[] a = w.attn;
    final double[] z = w.z;
    final double[] sc = new double[t];
    Arrays.fill(z, 0);
    for (int i = 0; i < n; i++) {
      int qi = w.slotOf[i * t + t - 1] - firstQuery;
      for (int hh = 0; hh < h; hh++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int pos = 0; pos < t; pos++) {
          sc[pos] = tb.scores[(qi * slots + w.slotOf[i * t + pos]) * h + hh];
          max = Math.max(max, sc[pos]);
        }
        double sum = 0;
        for (int pos = 0; pos < t; pos++) {
          sc[pos] = Math.exp(sc[pos] - max);
          sum += sc[pos];
        }
        for (int pos = 0; pos < t; pos++) {
          double ah = sc[pos] / sum;
          a[(i * h + hh) * t + pos] = ah;
          axpy(
              alpha * ah + (1 - alpha),
              tb.vj[hh],
              w.slotOf[i * t + pos] * dh,
              z,
              i * hd + hh * dh,
              dh);
        }
      }
    }
    write(z, 0, w.zA);
    // pre = Qsel RI + Z W_OI, then act in place. The one-hot product is a row gather, or with one
    // query slot ('=' token) a broadcast of the one row.
    if (fold) {
      foldedPre(w, tb);
    } else {
      selectRows(w, tb.ri, w.post);
      Blas.gemm(w.zA, tb.woi, w.post, false, false, 1.0, 1.0);
    }
    activation.apply(w.post, null, gradients ? w.mask : null, w.actScratch);
    // logits = Qsel RU + post M + Z W_OU
    selectRows(w, tb.ru, w.logitsA);
    Blas.gemm(w.post, tb.m, w.logitsA, false, false, 1.0, 1.0);
    Blas.gemm(w.zA, tb.wou, w.logitsA, false, false, 1.0, 1.0);
    read(w.logitsA, w.logits);
    return Rows.crossEntropy(w.logits, w.labels, p, gradients ? w.dLogits : null);
  }

  @Override
  public OutputAndGradients lossAndGradients(Batch batch) {
    Work w = work(batch);
    w.allocateBackward();
    Tables tb = tables();
    double loss = forward(w, tb, true);
    if (grads == null) {
      grads = new Grads();
    }
    Grads g = grads;
    g.clear();
    write(w.dLogits, 0, w.dLogitsA);
    // through logits = post M + Z W_OU + Qsel RU
    Blas.gemm(w.dLogitsA, tb.m, w.dPost, false, true, 1.0, 0.0);
    Blas.gemm(w.post, w.dLogitsA, g.dM, true, false, 1.0, 0.0);
    Blas.gemm(w.dLogitsA, tb.wou, w.dZA, false, true, 1.0, 0.0);
    Blas.gemm(w.zA, w.dLogitsA, g.dWou, true, false, 1.0, 0.0);
    sumRowsBySlot(w.dLogits, p, w.qidx, g.dRu); // Qsel^T dLogits, from the Java copy
    // through act and pre = Z W_OI + Qsel RI
    w.dPost.muli(w.mask);
    Blas.gemm(w.dPost, tb.woi, w.dZA, false, true, 1.0, 1.0);
    if (fold) {
      foldedBackward(w, tb, g);
    } else {
      Blas.gemm(w.zA, w.dPost, g.dWoi, true, false, 1.0, 0.0);
    }
    if (querySlots == 1) { // one query slot ('=' token): Qsel^T dPre is a column sum
      Blas.columnSums(w.dPost, g.dRi);
    } else {
      sumRowsBySlot(w.dPost, w.qidx, g.dRi, w); // Qsel^T dPre
    }
    // through the attention, per example
    read(w.dZA, w.dZ);
    final int n = w.n;
    final double[] a = w.attn;
    final double[] dA = new double[t];
    for (int i = 0; i < n; i++) {
      int q = w.slotOf[i * t + t - 1];
      for (int hh = 0; hh < h; hh++) {
        int zo = i * hd + hh * dh;
        double weighted = 0;
        for (int pos = 0; pos < t; pos++) {
          int s = w.slotOf[i * t + pos];
          double ah = a[(i * h + hh) * t + pos];
          axpy(alpha * ah + (1 - alpha), w.dZ, zo, g.dV[hh], s * dh, dh);
          dA[pos] = alpha * dot(w.dZ, zo, tb.vj[hh], s * dh, dh);
          weighted += ah * dA[pos];
        }
        int so = (q - firstQuery) * slots;
        for (int pos = 0; pos < t; pos++) {
          g.dS[hh][so + w.slotOf[i * t + pos]] +=
              a[(i * h + hh) * t + pos] * (dA[pos] - weighted) * scale;
        }
      }
    }
    // scores = Q[q] . K[s] / sqrt(d_head): back to the slot queries and keys once per slot pair
    // that occurs, not once per example (with the '=' token every example has the same query)
    for (int hh = 0; hh < h; hh++) {
      for (int qi = 0; qi < querySlots; qi++) {
        int q = firstQuery + qi;
        for (int s = 0; s < slots; s++) {
          double ds = g.dS[hh][qi * slots + s];
          if (ds != 0) {
            axpy(ds, tb.kj[hh], s * dh, g.dQ[hh], q * dh, dh);
            axpy(ds, tb.qj[hh], q * dh, g.dK[hh], s * dh, dh);
          }
        }
      }
    }
    return new OutputAndGradients(loss, w.logitsA, parameterGradients(tb, g));
  }

  /**
   * {@code pre = Qsel RI + sum_h sum_t A'[h,t] VOI[h][s_t]} row by row into {@code w.post}, the
   * folded form of {@code Qsel RI + Z W_OI} (class comment).
   */
  private void foldedPre(Work w, Tables tb) {
    FloatBuffer out = w.post.data().asNioFloat();
    float[] row = w.row;
    double[] a = w.attn;
    for (int i = 0; i < w.n; i++) {
      System.arraycopy(tb.riRows[w.qidx[i]], 0, row, 0, dm);
      for (int hh = 0; hh < h; hh++) {
        for (int pos = 0; pos < t; pos++) {
          float c = (float) (alpha * a[(i * h + hh) * t + pos] + (1 - alpha));
          axpy(c, tb.voi[hh * slots + w.slotOf[i * t + pos]], row, dm);
        }
      }
      out.put(i * dm, row);
    }
  }

  /**
   * dW_OI through {@link #foldedPre}'s tables: S[h][σ], the sum of A' dpre over the examples with
   * slot σ, then dW_OI[h] = V[h]^T S[h] into {@code g.dWoi} (= Z^T dpre). The gradients of A' and V
   * come from dZ, as without the fold.
   */
  private void foldedBackward(Work w, Tables tb, Grads g) {
    for (float[] r : g.s) {
      Arrays.fill(r, 0f);
    }
    FloatBuffer in = w.dPost.data().asNioFloat();
    float[] row = w.row;
    double[] a = w.attn;
    for (int i = 0; i < w.n; i++) {
      in.get(i * dm, row);
      for (int hh = 0; hh < h; hh++) {
        for (int pos = 0; pos < t; pos++) {
          int r = hh * slots + w.slotOf[i * t + pos];
          axpy((float) (alpha * a[(i * h + hh) * t + pos] + (1 - alpha)), row, g.s[r], dm);
        }
      }
    }
    for (int hh = 0; hh < h; hh++) {
      Rows.writeRows(g.s, hh * slots, g.sA);
      Blas.gemm(tb.v[hh], g.sA, g.dWoiH, true, false, 1.0, 0.0);
      g.dWoi.get(NDArrayIndex.interval(hh * dh, (hh + 1) * dh), NDArrayIndex.all()).assign(g.dWoiH);
    }
  }

  /**
   * Chains the gradients of the tables back to the parameters (small products); returns them by
   * name over buffers every call reuses (ModelFunction: read them before the next call).
   */
  private Map<String, INDArray> parameterGradients(Tables tb, Grads g) {
    INDArray win = parameters.get("blocks.0.mlp.W_in");
    INDArray wu = parameters.get("unembed.W_U");
    INDArray wout = parameters.get("blocks.0.mlp.W_out");
    INDArray bout = parameters.get("blocks.0.mlp.b_out").reshape(1, d);
    // W_OI = W_O W_in, W_OU = W_O W_U, M = W_out W_U
    Blas.gemm(g.dWoi, win, g.dWo, false, true, 1.0, 0.0);
    Blas.gemm(g.dWou, wu, g.dWo, false, true, 1.0, 1.0);
    Blas.gemm(tb.wo, g.dWoi, g.dWin, true, false, 1.0, 0.0);
    Blas.gemm(tb.wo, g.dWou, g.dWu, true, false, 1.0, 0.0);
    Blas.gemm(wout, g.dM, g.dWu, true, false, 1.0, 1.0);
    Blas.gemm(g.dM, wu, g.dWout, false, true, 1.0, 0.0);
    // RI = Rq W_in + b_in, RU = Rq W_U + b_out W_U
    Blas.gemm(tb.rq, g.dRi, g.dWin, true, false, 1.0, 1.0);
    Blas.gemm(tb.rq, g.dRu, g.dWu, true, false, 1.0, 1.0);
    Blas.columnSums(g.dRi, g.dBin);
    Blas.columnSums(g.dRu, g.dBu);
    Blas.gemm(bout, g.dBu, g.dWu, true, false, 1.0, 1.0);
    Blas.gemm(wu, g.dBu, g.dBout, false, true, 1.0, 0.0);
    Blas.gemm(g.dRi, win, g.dRq, false, true, 1.0, 0.0);
    Blas.gemm(g.dRu, wu, g.dRq, false, true, 1.0, 1.0);
    // Q, K, V = R W_{Q,K,V} per head
    g.dR.assign(0);
    for (int hh = 0; hh < h; hh++) {
      headGradient(tb, g, g.dV[hh], tb.wv[hh], g.dWv, hh);
      headGradient(tb, g, g.dK[hh], tb.wk[hh], g.dWk, hh);
      headGradient(tb, g, g.dQ[hh], tb.wq[hh], g.dWq, hh);
    }
    // R[σ] = W_E[token] + W_pos[position]
    read(g.dR, g.dr);
    read(g.dRq, g.dRqJ);
    axpy(1.0, g.dRqJ, 0, g.dr, firstQuery * d, querySlots * d);
    embeddingGradients(p, slots, d, g.dr, g.dE, g.dP);
    write(g.dE, 0, g.dEA);
    write(g.dP, 0, g.dPA);
    return g.byName;
  }

  /**
   * For a table T = R W[h] (queries, keys or values of head h): dW[h] = R^T dT, and dR += dT
   * W[h]^T.
   */
  private void headGradient(
      Tables tb, Grads g, double[] dTable, INDArray wHead, INDArray dWAll, int hh) {
    write(dTable, 0, g.dH);
    Blas.gemm(tb.r, g.dH, g.dWhead, true, false, 1.0, 0.0);
    dWAll.slice(hh).assign(g.dWhead);
    Blas.gemm(g.dH, wHead, g.dR, false, true, 1.0, 1.0);
  }

  /** {@code out = Qsel table}: a row gather, or a broadcast of the one row. */
  private void selectRows(Work w, INDArray table, INDArray out) {
    if (querySlots == 1) {
      out.assign(0);
      out.addiRowVector(table);
    } else {
      Rows.gather(table, w.qidx, out);
    }
  }

  /**
   * {@code out[s] = sum of rows[i] over the i with index[i] = s}: the transposed one-hot product
   * {@code Qsel^T rows}, as row additions. All contiguous, c-order; the rows are copied into {@code
   * w}'s scratch array of their precision first.
   */
  private static void sumRowsBySlot(INDArray rows, int[] index, INDArray out, Work w) {
    int cols = (int) rows.size(1);
    int len = (int) rows.length();
    if (rows.dataType() == DataType.DOUBLE) {
      rows.data().asNioDouble().get(w.rowScratch, 0, len);
      sumRowsBySlot(w.rowScratch, cols, index, out);
      return;
    }
    float[] rf = w.floatScratch;
    rows.data().asNioFloat().get(rf, 0, len); // one bulk copy
    double[] acc = new double[(int) out.length()];
    for (int i = 0; i < index.length; i++) {
      int xo = i * cols;
      int yo = index[i] * cols;
      for (int j = 0; j < cols; j++) {
        acc[yo + j] += rf[xo + j];
      }
    }
    write(acc, 0, out);
  }

  /** {@link #sumRowsBySlot(INDArray, int[], INDArray, Work)} for rows held in Java. */
  private static void sumRowsBySlot(double[] rows, int cols, int[] index, INDArray out) {
    double[] acc = new double[(int) out.length()];
    Rows.sumBySlot(rows, cols, index, acc);
    write(acc, 0, out);
  }
}
