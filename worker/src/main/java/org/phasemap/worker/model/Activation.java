package org.phasemap.worker.model;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.phasemap.worker.RunConfig;

/**
 * The MLP non-linearity of the exact steps, applied in place over ND4J buffers, with the MLP's
 * input bias added first: ReLU, or GeLU as PyTorch's default {@code F.gelu}, x Φ(x) = 0.5 x (1 +
 * erf(x / sqrt 2)). With a derivative buffer it also leaves act'(pre) there for the backward pass.
 *
 * <p>ReLU is three of ND4J's native element-wise ops (bias, step, max), each about 0.15 ns a value:
 * a Java pass over the same buffer measured 2-3 times slower (docs/PERFORMANCE.md). GeLU in float32
 * runs as one Java pass over the buffer in cache-sized chunks (bias, function and derivative
 * together) by {@link Gelu}: vectorised float arithmetic, about 3 ns a value, within float32's
 * rounding of the exact values. ND4J's element-wise ops took about ten passes over memory and an
 * erf of about 9 ns per value: 25 ms per GeLU layer at d_model 128. In float64, the precision
 * chosen for checking against references, GeLU keeps ND4J's erf op, the one {@link
 * TransformerGraph} uses, so both formulations round alike.
 */
enum Activation {
  RELU {
    /** Step into the derivative (1 exactly where x > 0, as the reference), then max(x, 0). */
    @Override
    void applyNd4j(INDArray x, INDArray derivative, INDArray scratch) {
      if (derivative != null) {
        Nd4j.exec(new Step(x, derivative));
      }
      Transforms.relu(x, false);
    }
  },
  GELU {
    @Override
    void pass(float[] x, float[] deriv, int m, float[] bias) {
      Gelu.pass(x, deriv, m, bias);
    }

    @Override
    boolean hasJavaPass() {
      return true;
    }

    private final double invSqrt2 = 1.0 / Math.sqrt(2.0);
    private final double invSqrt2Pi = 1.0 / Math.sqrt(2.0 * Math.PI);

    /** cdf = 0.5 (1 + erf(x / sqrt 2)); gelu = x cdf; gelu' = cdf + x phi(x). */
    @Override
    void applyNd4j(INDArray x, INDArray derivative, INDArray scratch) {
      scratch.assign(x).muli(invSqrt2);
      Nd4j.exec(new Erf(scratch, scratch));
      scratch.addi(1.0).muli(0.5);
      if (derivative != null) {
        derivative.assign(x).muli(x).muli(-0.5);
        Transforms.exp(derivative, false);
        derivative.muli(x).muli(invSqrt2Pi).addi(scratch);
      }
      x.muli(scratch);
    }
  };

  /**
   * Values per chunk of the Java pass (rounded to whole rows): two float chunks stay in the
   * first-level cache.
   */
  private static final int CHUNK = 2048;

  private static final ThreadLocal<float[][]> CHUNKS =
      ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0]});

  /** The thread's two chunk buffers, at least {@code len} long. */
  private static float[][] chunks(int len) {
    float[][] c = CHUNKS.get();
    if (c[0].length < len) {
      c = new float[][] {new float[len], new float[len]};
      CHUNKS.set(c);
    }
    return c;
  }

  /**
   * One chunk of the float32 Java pass (GeLU's), whole rows of {@code bias.length} values: {@code
   * x[k] ← act(x[k] + bias[j])} for k < m at column j, the add in float as ND4J's, and {@code
   * deriv[k] ← act'(…)} when {@code deriv} is not null.
   */
  void pass(float[] x, float[] deriv, int m, float[] bias) {
    throw new IllegalStateException(name() + " has no Java pass");
  }

  /** Whether float32 buffers go through {@link #pass} (else through {@link #applyNd4j}). */
  boolean hasJavaPass() {
    return false;
  }

  /** The ND4J form, without bias: x ← act(x), derivative ← act'(x). */
  abstract void applyNd4j(INDArray x, INDArray derivative, INDArray scratch);

  /**
   * Replaces {@code x} (pre-activations, [rows, cols], contiguous) by act(x + bias) ({@code bias} a
   * [cols] or [1, cols] vector, or null); when {@code derivative} is not null it receives act'(x +
   * bias). {@code scratch} has x's shape (the float64 GeLU uses it; otherwise it may be null).
   */
  void apply(INDArray x, INDArray bias, INDArray derivative, INDArray scratch) {
    if (!hasJavaPass() || x.dataType() != DataType.FLOAT) {
      if (bias != null) {
        x.addiRowVector(bias);
      }
      applyNd4j(x, derivative, scratch);
      return;
    }
    int len = (int) x.length();
    // whole rows per chunk, so the bias is a plain loop over each row's columns (no bias: zeros)
    int cols = bias == null ? CHUNK : (int) bias.length();
    float[] b = new float[cols];
    if (bias != null) {
      bias.data().asNioFloat().get((int) bias.offset(), b, 0, cols);
    }
    FloatBuffer xb = x.data().asNioFloat();
    FloatBuffer db = derivative == null ? null : derivative.data().asNioFloat();
    int chunk = Math.max(1, CHUNK / cols) * cols;
    float[][] chunks = chunks(chunk);
    float[] xc = chunks[0];
    float[] dc = db == null ? null : chunks[1];
    for (int start = 0; start < len; start += chunk) {
      int m = Math.min(chunk, len - start);
      xb.get(start, xc, 0, m);
      pass(xc, dc, m, b);
      xb.put(start, xc, 0, m);
      if (db != null) {
        db.put(start, dc, 0, m);
      }
    }
  }

  /** Whether {@link #apply} needs its scratch buffer in this precision. */
  boolean needsScratch(DataType dt) {
    return this == GELU && dt != DataType.FLOAT;
  }

  static Activation of(RunConfig c) {
    return c.activation() == RunConfig.Activation.GELU ? GELU : RELU;
  }
}
