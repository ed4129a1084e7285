package org.phasemap.worker.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.phasemap.worker.RunConfig;

/** The flat-object reader and the report writer: the text other code and people rely on. */
class JsonTests {
  @Test
  void parsesAFlatObjectKeepingKeyOrderAndTellingIntegersFromFractions() {
    Map<String, Object> m =
        Json.parseFlatObject(
            "\n {\"b\": 1, \"a\": 2.5, \"s\": \"x\", \"t\": true, \"f\": false, \"n\": null,"
                + " \"neg0\": -0, \"exp\": 1e2, \"frac0\": 3.0, \"min\": -9223372036854775808,"
                + " \"big\": 123456789012345678901234}\t",
            "t.json");
    assertThat(m.keySet())
        .containsExactly("b", "a", "s", "t", "f", "n", "neg0", "exp", "frac0", "min", "big");
    assertThat(m.get("b")).isEqualTo(1L);
    assertThat(m.get("a")).isEqualTo(2.5);
    assertThat(m.get("s")).isEqualTo("x");
    assertThat(m.get("t")).isEqualTo(true);
    assertThat(m.get("f")).isEqualTo(false);
    assertThat(m).containsEntry("n", null);
    assertThat(m.get("neg0")).isEqualTo(0L);
    assertThat(m.get("exp")).isEqualTo(100.0);
    assertThat(m.get("frac0")).isEqualTo(3.0);
    assertThat(m.get("min")).isEqualTo(Long.MIN_VALUE);
    assertThat(m.get("big")).isEqualTo(new BigInteger("123456789012345678901234"));
    assertThat(Json.parseFlatObject("{}", "t.json")).isEmpty();
  }

  @Test
  void decodesEveryStringEscape() {
    Map<String, Object> m =
        Json.parseFlatObject(
            "{\"k\\u00e9\": \"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00\"}",
            "t.json");
    assertThat(m).containsOnlyKeys("k\u00e9");
    assertThat(m.get("k\u00e9")).isEqualTo("q\" b\\ s/ \b\f\n\r\t \u00e9 \ud83d\ude00");
  }

  @Test
  void rejectsWhatIsNotOneFlatObjectSayingWhereAndWhat() {
    assertThatThrownBy(() -> Json.parseFlatObject("{\"a\": 1,\n \"n\": {\"x\": 1}}", "c.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot parse c.json: nested objects and arrays are not supported (key \"n\") at line 2,"
                + " column 7 (got '{\"x\": 1}}')");
    assertThatThrownBy(() -> Json.parseFlatObject("{\"a\": [1]}", "c.json"))
        .hasMessageStartingWith(
            "Cannot parse c.json: nested objects and arrays are not supported (key \"a\")");
    assertThatThrownBy(() -> Json.parseFlatObject("{\"a\": 1, \"a\": 2}", "c.json"))
        .hasMessageStartingWith("Cannot parse c.json: duplicate key \"a\" at line 1, column ");
    assertThatThrownBy(() -> Json.parseFlatObject("{\"lr\": NaN}", "c.json"))
        .hasMessageStartingWith(
            "Cannot parse c.json: expected a string, number, true, false or null for \"lr\"")
        .hasMessageEndingWith("(got 'NaN}')");
    assertThatThrownBy(() -> Json.parseFlatObject("{\"x\": Infinity}", "c.json"))
        .hasMessageStartingWith(
            "Cannot parse c.json: expected a string, number, true, false or null for \"x\"");
    assertThatThrownBy(() -> Json.parseFlatObject("[1, 2]", "c.json"))
        .hasMessageStartingWith("Cannot parse c.json: expected a JSON object at line 1, column 1");
    assertThatThrownBy(() -> Json.parseFlatObject(" ", "c.json"))
        .hasMessageStartingWith("Cannot parse c.json: unexpected end of text at line 1, column 2");
    assertThatThrownBy(() -> Json.parseFlatObject("{\"a\": 1} {\"b\": 2}", "c.json"))
        .hasMessageStartingWith(
            "Cannot parse c.json: unexpected text after the object at line 1, column 10");
    assertThatThrownBy(() -> Json.parseFlatObject("{\"a\": 1} x", "c.json"))
        .hasMessageStartingWith(
            "Cannot parse c.json: unexpected text after the object at line 1, column 10");
  }

  @Test
  void syntaxErrorsNameTheSourceAndThePosition() {
    for (String bad :
        new String[] {
          "{\"a\": 1 \"b\": 2}", "{\"a\": 1,}", "{a: 1}", "{'a': 1}", "{\"a\": 01}", "{\"a\": 1.}",
          "{\"a\": \"x\ny\"}", "{\"a\": \"\\x\"}", "{\"a\": 1", "{\"a\": \"open", "{\"a\": tru}",
              "{\"a\": 1} // c"
        }) {
      assertThatThrownBy(() -> Json.parseFlatObject(bad, "c.json"))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Cannot parse c.json: ")
          .hasMessageMatching("(?s).* at line \\d+, column \\d+ \\(got '.*'\\)");
    }
  }

  @Test
  void writesObjectsOneMemberPerLineAndArraysOnOneLine() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("all", false);
    inner.put("triples", 1000);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", "phasemap-analysis-v1");
    m.put("empty", Map.of());
    m.put("none", List.of());
    m.put("ints", new int[] {1, 2});
    m.put("longs", new long[] {3L, -4L});
    m.put("doubles", new double[] {0.5, Double.NaN, 1e-7, Double.POSITIVE_INFINITY, 1e21});
    m.put("list", Arrays.asList(1, 0.25, null, "s", true));
    m.put("gs_sampling", inner);
    m.put("rows", List.of(inner, List.of(1, 2)));
    m.put("nan", Double.NaN);
    m.put("float", 0.1f);
    m.put("long", 1L << 40);
    m.put("decimal", new BigDecimal("1.50"));
    m.put("nothing", null);
    m.put("text", "a \"q\" \\ b\nc\td/\u00e9");
    m.put("other", Thread.State.NEW);
    assertThat(Json.write(m))
        .isEqualTo(
            String.join(
                "\n",
                "{",
                "  \"format\": \"phasemap-analysis-v1\",",
                "  \"empty\": {},",
                "  \"none\": [],",
                "  \"ints\": [1, 2],",
                "  \"longs\": [3, -4],",
                "  \"doubles\": [0.5, null, 1.0E-7, null, 1.0E21],",
                "  \"list\": [1, 0.25, null, \"s\", true],",
                "  \"gs_sampling\": {",
                "    \"all\": false,",
                "    \"triples\": 1000",
                "  },",
                "  \"rows\": [{",
                "    \"all\": false,",
                "    \"triples\": 1000",
                "  }, [1, 2]],",
                "  \"nan\": null,",
                "  \"float\": 0.10000000149011612,",
                "  \"long\": 1099511627776,",
                "  \"decimal\": 1.50,",
                "  \"nothing\": null,",
                "  \"text\": \"a \\\"q\\\" \\\\ b\\nc\\td/\u00e9\",",
                "  \"other\": \"NEW\"",
                "}"));
    assertThat(Json.write(List.of(1, 2))).isEqualTo("[1, 2]");
    assertThat(Json.write(List.of(List.of()))).isEqualTo("[[]]");
    assertThat(Json.write("x")).isEqualTo("\"x\"");
    assertThat(Json.write(null)).isEqualTo("null");
    assertThat(Json.quote("a\"b\\c\nd\re\tf")).isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\"");
  }

  @Test
  void writesAFlatObjectOnOneLine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", "nanda2023");
    m.put("modulus", 113);
    m.put("lr", 0.001);
    m.put("adam_eps", 1e-8);
    m.put("init_seed", 1L << 40);
    m.put("causal", true);
    m.put("split", null);
    assertThat(Json.writeFlat(m))
        .isEqualTo(
            "{\"preset\": \"nanda2023\", \"modulus\": 113, \"lr\": 0.001, \"adam_eps\": 1.0E-8,"
                + " \"init_seed\": 1099511627776, \"causal\": true, \"split\": null}");
    assertThat(Json.writeFlat(Map.of())).isEqualTo("{}");
  }

  @Test
  void aRunConfigSurvivesTheRunsTableColumnAndConfigJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", "zhong2023");
    m.put("modulus", 59);
    m.put("lr", 0.1 + 0.2);
    m.put("weight_decay", 1e-300);
    m.put("init_seed", 123456789012L);
    RunConfig c = RunConfig.fromMap(m);
    assertThat(
            RunConfig.fromMap(
                new LinkedHashMap<>(Json.parseFlatObject(Json.writeFlat(c.toMap()), "col"))))
        .isEqualTo(c);
    assertThat(ModelFiles.parseConfig(ModelFiles.configJson(c), "config.json")).isEqualTo(c);
    List<String> keys =
        new ArrayList<>(Json.parseFlatObject(ModelFiles.configJson(c), "config.json").keySet());
    assertThat(keys.subList(0, 2)).containsExactly("format", "run_id");
    assertThat(keys.subList(2, keys.size())).containsExactlyElementsOf(c.toMap().keySet());
  }
}
