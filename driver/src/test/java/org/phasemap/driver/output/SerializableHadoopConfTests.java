package org.phasemap.driver.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class SerializableHadoopConfTests {

  @Test
  void roundTripsCustomKeysThroughJavaSerialization() throws Exception {
    Configuration conf = new Configuration();
    conf.set("phasemap.test.key", "value with spaces = and ünïcode");
    conf.setInt("parquet.page.size", 4096);

    SerializableHadoopConf copy = roundTrip(new SerializableHadoopConf(conf));

    assertThat(copy.get()).isNotSameAs(conf);
    assertThat(copy.get().get("phasemap.test.key")).isEqualTo("value with spaces = and ünïcode");
    assertThat(copy.get().getInt("parquet.page.size", 0)).isEqualTo(4096);
    assertThat(copy.get().get("fs.defaultFS")).isEqualTo(conf.get("fs.defaultFS"));
  }

  @Test
  void rejectsNullConfiguration() {
    assertThatThrownBy(() -> new SerializableHadoopConf(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("conf");
  }

  private static SerializableHadoopConf roundTrip(SerializableHadoopConf value)
      throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (SerializableHadoopConf) in.readObject();
    }
  }
}
