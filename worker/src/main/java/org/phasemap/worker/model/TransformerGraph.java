package org.phasemap.worker.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.phasemap.worker.RunConfig;

/**
 * The transformer of SCIENCE.md sections 1.1 and 2.1 as a SameDiff graph, in its straightforward
 * formulation: every position goes through every layer. This is the reference implementation; it
 * serves any depth, width, attention rate and mask.
 *
 * <p>Forward pass for inputs of {@code n_ctx} tokens: r = W_E[token] + W_pos[position]; per layer,
 * per head, A = softmax(q k^T / sqrt(d_head)) under the causal mask when {@code causal}, mixed as
 * A' = alpha A + (1 - alpha) J with J the all-ones matrix (lower-triangular ones when causal, so a
 * position never sees a later one), r += W_O [A' v], then r += W_out act(W_in r + b_in) + b_out;
 * the logits over the p number tokens are W_U^T r at the last position. No normalisation anywhere.
 *
 * <p>Placeholders: {@code tokens} (INT32, flattened [n * n_ctx]) and {@code labels} (FLOAT64
 * one-hot [n, p]). Outputs: {@code logits} [n, p] in the weights' type and {@code loss}, the mean
 * cross-entropy computed from log-softmax in float64 (SCIENCE.md section 0).
 */
public final class TransformerGraph implements ModelFunction {
  public static final String TOKENS = "tokens";
  public static final String LABELS = "labels";
  public static final String LOGITS = "logits";
  public static final String LOSS = "loss";

  /** Token embeddings as they enter the model (before W_pos), [n, n_ctx, d_model]. */
  public static final String TOKEN_EMBEDDINGS = "token_embeddings";

  /**
   * Last layer's MLP input at the last position: the residual stream after the attention block,
   * before the MLP, [n, d_model].
   */
  public static final String MLP_IN = "mlp_in_last";

  /** Last layer's MLP activations at the last position, [n, d_mlp]. */
  public static final String MLP_POST = "mlp_post_last";

  /** Last layer's attention from the last position (softmax part), [n, n_heads, n_ctx]. */
  public static final String ATTENTION = "attention_last";

  private final RunConfig config;
  private final SameDiff sd;
  private final Parameters parameters;
  private final List<String> parameterNames;
  private final Map<Batch, Map<String, INDArray>> placeholders = new java.util.IdentityHashMap<>();

  private TransformerGraph(RunConfig config, SameDiff sd, Parameters parameters) {
    this.config = config;
    this.sd = sd;
    this.parameters = parameters;
    this.parameterNames = parameters.names();
  }

  /** Builds the graph of {@code config} over the (live) tensors of {@code parameters}. */
  public static TransformerGraph build(RunConfig c, Parameters parameters) {
    return build(c, parameters, false);
  }

  /**
   * A graph whose objective is the sum of selected logits, sum(logits * labels) with {@code labels}
   * a one-hot selection of one class per example, for gradients of single logits with respect to
   * the token embeddings (gradient symmetricity, SCIENCE.md 2.3.1): examples are independent, so
   * row i of the gradient is the gradient of example i's selected logit.
   */
  public static TransformerGraph buildSelectedLogit(RunConfig c, Parameters parameters) {
    return build(c, parameters, true);
  }

  private static TransformerGraph build(RunConfig c, Parameters parameters, boolean selectedLogit) {
    DataType dt = Parameters.dataType(c);
    int t = c.contextLength();
    int d = c.dModel();
    int h = c.nHeads();
    int dh = c.dHead();
    int p = c.modulus();
    SameDiff sd = SameDiff.create();
    Map<String, SDVariable> w = new HashMap<>();
    for (String name : parameters.names()) {
      w.put(name, sd.var(name, parameters.get(name)));
    }
    SDVariable tokens = sd.placeHolder(TOKENS, DataType.INT32, -1);
    SDVariable labels = sd.placeHolder(LABELS, DataType.DOUBLE, -1, p);

    // One-hot times W_E rather than gather: SameDiff M2.1's gather backprop does not accumulate
    // repeated indices (found by the finite-difference test), and every batch repeats tokens.
    SDVariable oneHot = sd.oneHot(tokens, c.inputVocab(), -1, 1.0, 0.0, dt);
    SDVariable emb = oneHot.mmul(w.get("embed.W_E")).reshape(-1, t, d);
    emb = sd.identity(TOKEN_EMBEDDINGS, emb);
    SDVariable x = emb.add(w.get("pos_embed.W_pos"));

    INDArray mask = Nd4j.zeros(dt, t, t);
    INDArray ones = Nd4j.ones(dt, t, t);
    if (c.causal()) {
      for (int i = 0; i < t; i++) {
        for (int j = i + 1; j < t; j++) {
          mask.putScalar(i, j, -1e9);
          ones.putScalar(i, j, 0.0);
        }
      }
    }
    SDVariable maskC = sd.constant("causal_mask", mask);
    SDVariable uniformC = sd.constant("uniform_attention", ones.muli(1.0 - c.attentionRate()));
    double scale = 1.0 / Math.sqrt(dh);

    for (int l = 0; l < c.nLayers(); l++) {
      String b = "blocks." + l + ".";
      SDVariable flat = x.reshape(-1, d);
      SDVariable q = heads(flat.mmul(headsIn(w.get(b + "attn.W_Q"), d, h * dh)), t, h, dh);
      SDVariable k = heads(flat.mmul(headsIn(w.get(b + "attn.W_K"), d, h * dh)), t, h, dh);
      SDVariable v = heads(flat.mmul(headsIn(w.get(b + "attn.W_V"), d, h * dh)), t, h, dh);
      SDVariable scores = sd.mmul(q, k, false, true, false).mul(scale).add(maskC);
      SDVariable attn = sd.nn.softmax(scores, 2);
      if (l == c.nLayers() - 1) {
        sd.identity(
            ATTENTION,
            attn.reshape(-1, h, t, t)
                .get(SDIndex.all(), SDIndex.all(), SDIndex.point(t - 1), SDIndex.all()));
      }
      SDVariable mixed =
          c.attentionRate() == 1.0 ? attn : attn.mul(c.attentionRate()).add(uniformC);
      SDVariable z =
          sd.mmul(mixed, v) // [n*h, t, dh]
              .reshape(-1, h, t, dh)
              .permute(0, 2, 1, 3)
              .reshape(-1, h * dh);
      SDVariable attnOut = z.mmul(w.get(b + "attn.W_O").reshape(h * dh, d)).reshape(-1, t, d);
      x = x.add(attnOut);
      if (l == c.nLayers() - 1) {
        sd.identity(MLP_IN, x.get(SDIndex.all(), SDIndex.point(t - 1), SDIndex.all()));
      }
      SDVariable pre = x.reshape(-1, d).mmul(w.get(b + "mlp.W_in")).add(w.get(b + "mlp.b_in"));
      SDVariable post =
          c.activation() == RunConfig.Activation.GELU ? exactGelu(sd, pre) : sd.nn.relu(pre, 0.0);
      if (l == c.nLayers() - 1) {
        sd.identity(
            MLP_POST,
            post.reshape(-1, t, c.dMlp()).get(SDIndex.all(), SDIndex.point(t - 1), SDIndex.all()));
      }
      SDVariable mlpOut = post.mmul(w.get(b + "mlp.W_out")).add(w.get(b + "mlp.b_out"));
      x = x.add(mlpOut.reshape(-1, t, d));
    }
    SDVariable last = x.get(SDIndex.all(), SDIndex.point(t - 1), SDIndex.all());
    SDVariable logits = sd.identity(LOGITS, last.mmul(w.get("unembed.W_U")));
    SDVariable logits64 = dt == DataType.DOUBLE ? logits : logits.castTo(DataType.DOUBLE);
    // log-softmax written out: SameDiff M2.1's LogSoftMax op fails in backprop when given a
    // dimension. The max is only a numerical shift; its gradient cancels exactly.
    SDVariable shifted = logits64.sub(sd.max(logits64, true, 1));
    SDVariable logProbs = shifted.sub(sd.math.log(sd.sum(sd.math.exp(shifted), true, 1)));
    SDVariable loss =
        selectedLogit
            ? sd.sum(logits64.mul(labels))
            : sd.math.neg(sd.mean(sd.sum(logProbs.mul(labels), 1)));
    sd.identity(LOSS, loss);
    sd.setLossVariables(LOSS);
    createGradientFunctionQuietly(sd);
    return new TransformerGraph(c, sd, parameters);
  }

  private static final Object STDOUT_LOCK = new Object();

  /**
   * SameDiff M2.1 prints one line per op to stdout while it differentiates a graph; build the
   * gradient function once, up front, with stdout muted, so runs do not flood consoles and logs.
   */
  private static void createGradientFunctionQuietly(SameDiff sd) {
    synchronized (STDOUT_LOCK) {
      java.io.PrintStream out = System.out;
      System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
      try {
        sd.createGradFunction();
      } finally {
        System.setOut(out);
      }
    }
  }

  /**
   * GeLU as PyTorch's default {@code F.gelu}: 0.5 x (1 + erf(x / sqrt 2)). ND4J's own "gelu" and
   * "preciseGelu" are the sigmoid and tanh approximations.
   */
  private static SDVariable exactGelu(SameDiff sd, SDVariable x) {
    return x.mul(0.5).mul(sd.math.erf(x.mul(1.0 / Math.sqrt(2.0))).add(1.0));
  }

  /** [h, d, dh] -> [d, h*dh], so that x W gives all heads side by side. */
  private static SDVariable headsIn(SDVariable wHeads, int d, int hdh) {
    return wHeads.permute(1, 0, 2).reshape(d, hdh);
  }

  /** [n*t, h*dh] -> [n*h, t, dh]. */
  private static SDVariable heads(SDVariable flat, int t, int h, int dh) {
    return flat.reshape(-1, t, h, dh).permute(0, 2, 1, 3).reshape(-1, t, dh);
  }

  public RunConfig config() {
    return config;
  }

  public Parameters parameters() {
    return parameters;
  }

  public SameDiff sameDiff() {
    return sd;
  }

  /** Placeholder values for the given tokens and labels. */
  public Map<String, INDArray> inputs(int[] tokens, int[] labels) {
    Map<String, INDArray> ph = new HashMap<>();
    ph.put(TOKENS, Nd4j.createFromArray(tokens));
    INDArray oneHot = Nd4j.zeros(DataType.DOUBLE, labels.length, config.modulus());
    for (int i = 0; i < labels.length; i++) {
      oneHot.putScalar(i, labels[i], 1.0);
    }
    ph.put(LABELS, oneHot);
    return ph;
  }

  /** Loss, logits and the gradient of the loss for every parameter. */
  public OutAndGrad lossAndGradients(Map<String, INDArray> inputs) {
    return sd.calculateGradientsAndOutputs(inputs, List.of(LOSS, LOGITS), parameterNames);
  }

  /** Loss and logits without gradients. */
  public Map<String, INDArray> evaluate(Map<String, INDArray> inputs) {
    return sd.output(inputs, LOSS, LOGITS);
  }

  @Override
  public String implementation() {
    return "reference-samediff";
  }

  private Map<String, INDArray> placeholders(Batch b) {
    return placeholders.computeIfAbsent(b, x -> inputs(x.tokens(), x.labels()));
  }

  @Override
  public Output evaluate(Batch batch) {
    Map<String, INDArray> out = evaluate(placeholders(batch));
    return new Output(out.get(LOSS).getDouble(0), out.get(LOGITS));
  }

  @Override
  public Probe probe(Batch batch) {
    Map<String, INDArray> out =
        sd.output(placeholders(batch), LOSS, LOGITS, MLP_IN, MLP_POST, ATTENTION);
    return new Probe(
        out.get(LOSS).getDouble(0),
        out.get(LOGITS),
        out.get(MLP_IN),
        out.get(MLP_POST),
        out.get(ATTENTION).castTo(DataType.DOUBLE).data().asDouble());
  }

  @Override
  public OutputAndGradients lossAndGradients(Batch batch) {
    OutAndGrad og = lossAndGradients(placeholders(batch));
    return new OutputAndGradients(
        og.getOutputs().get(LOSS).getDouble(0), og.getOutputs().get(LOGITS), og.getGradients());
  }

  /**
   * Gradient of each example's selected logit with respect to its token embeddings as they enter
   * the model, [n, n_ctx, d_model]. Only for graphs built by {@link #buildSelectedLogit}.
   */
  public INDArray tokenEmbeddingGradients(int[] tokens, int[] selectedClass) {
    return sd.calculateGradients(inputs(tokens, selectedClass), TOKEN_EMBEDDINGS)
        .get(TOKEN_EMBEDDINGS);
  }

  /** Parameter names in canonical order. */
  public List<String> parameterNames() {
    return new ArrayList<>(parameterNames);
  }
}
