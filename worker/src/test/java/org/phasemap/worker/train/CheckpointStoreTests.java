package org.phasemap.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.phasemap.worker.RunConfig;
import org.phasemap.worker.model.Parameters;

/** Checkpoints past the memory budget go to local disk and come back identical. */
class CheckpointStoreTests {

  static RunConfig tiny() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", "zhong2023");
    m.put("modulus", 11);
    m.put("d_model", 8);
    m.put("n_heads", 2);
    m.put("steps", 40);
    m.put("lr", 0.01);
    m.put("log_interval", 10);
    m.put("checkpoint_interval", 10);
    return RunConfig.fromMap(m);
  }

  @Test
  void spillsPastTheBudgetAndReadsBackTheSameWeights() {
    RunConfig c = tiny();
    Parameters p = Parameters.initialise(c);
    long oneCheckpoint = 0;
    for (INDArray a : p.asMap().values()) {
      oneCheckpoint += a.length() * a.dataType().width();
    }
    CheckpointStore store = new CheckpointStore(oneCheckpoint); // room for exactly one in memory
    store.put(0, p);
    p.get("unembed.W_U").addi(1.0);
    store.put(10, p);
    p.get("unembed.W_U").addi(1.0);
    store.put(20, p);
    assertThat(store.spilled()).isEqualTo(2);
    assertThat(store.get(10).get("unembed.W_U")).isEqualTo(p.get("unembed.W_U").sub(1.0));
    assertThat(store.get(20).get("unembed.W_U")).isEqualTo(p.get("unembed.W_U"));
    assertThat(store.get(0).get("embed.W_E")).isEqualTo(p.get("embed.W_E"));
    store.close();
  }

  @Test
  void aRunWhoseCheckpointsAllSpillGivesBitIdenticalResults() throws Exception {
    List<StepRecord> inMemory = new ArrayList<>();
    new Trainer(tiny()).train(inMemory::add);
    List<StepRecord> spilled = new ArrayList<>();
    String old = System.getProperty("phasemap.checkpointMemoryMb");
    System.setProperty("phasemap.checkpointMemoryMb", "0");
    try {
      new Trainer(tiny()).train(spilled::add);
    } finally {
      if (old == null) {
        System.clearProperty("phasemap.checkpointMemoryMb");
      } else {
        System.setProperty("phasemap.checkpointMemoryMb", old);
      }
    }
    assertThat(spilled).hasSameSizeAs(inMemory);
    int checkpoints = 0;
    for (int i = 0; i < inMemory.size(); i++) {
      if (inMemory.get(i).checkpoint() != null) {
        checkpoints++;
        assertThat(spilled.get(i).checkpoint().retrospective())
            .isEqualTo(inMemory.get(i).checkpoint().retrospective())
            .isNotNull();
      }
    }
    assertThat(checkpoints).isEqualTo(5);
  }
}
