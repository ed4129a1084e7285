package org.phasemap.driver.output;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;

/**
 * A Hadoop {@link Configuration} that can travel inside a Spark closure to the executors.
 *
 * <p>{@code Configuration} is not {@link Serializable}, but executors need the driver's settings
 * (filesystem credentials, endpoints, Parquet options) to write result files to the same place the
 * driver reads them from. This wrapper serializes it with its own {@link Configuration#write}
 * format, every key and value it holds included.
 */
public final class SerializableHadoopConf implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  private transient Configuration conf;

  /**
   * Wraps {@code conf}; later changes to it are shipped too, as long as they happen before
   * serialization.
   */
  public SerializableHadoopConf(Configuration conf) {
    this.conf = Objects.requireNonNull(conf, "conf");
  }

  /** The wrapped configuration; on an executor, a copy rebuilt from the serialized form. */
  public Configuration get() {
    return conf;
  }

  @Serial
  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    conf.write(out);
  }

  @Serial
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    conf = new Configuration(false);
    conf.readFields(in);
  }
}
