package org.phasemap.worker.measure;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Small conversions shared by the measures: every measure computes in double. */
final class Matrices {

  private Matrices() {}

  /** The array itself when it is already DOUBLE, else a DOUBLE copy (float32 weights, say). */
  static INDArray toDouble(INDArray a) {
    return a.dataType() == DataType.DOUBLE ? a : a.castTo(DataType.DOUBLE);
  }

  /** Shape of an array as text, for error messages. */
  static String shape(INDArray a) {
    return Arrays.toString(a.shape());
  }
}
