package org.phasemap.worker.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON phasemap reads and writes, on Jackson's streaming parser and generator: a strict reader
 * for <em>flat</em> objects (a model's {@code config.json}, a run's {@code config_json}) and a
 * writer for reports.
 *
 * <p>The reader accepts exactly RFC 8259 JSON whose top level is one object of strings, numbers,
 * {@code true}, {@code false} and {@code null}; nested objects or arrays, duplicate keys, trailing
 * text, NaN/Infinity (which Python's {@code json.dump} writes for nan/inf) are errors that say
 * where and what was found. Integral numbers without fraction or exponent become {@link Long} (or
 * {@link BigInteger} beyond 64 bits), all others {@link Double}, so that {@code RunConfig.fromMap}
 * can tell an integer field from a fractional value.
 */
public final class Json {
  /**
   * Jackson's defaults are RFC 8259; NaN and Infinity are let through only to be refused below with
   * the key they belong to, rather than with Jackson's advice to enable a parser feature.
   */
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private Json() {}

  /**
   * Parses a flat JSON object, keeping key order; {@code source} names the text in error messages.
   */
  public static Map<String, Object> parseFlatObject(String text, String source) {
    try (JsonParser p = FACTORY.createParser(text)) {
      try {
        return flatObject(p, text, source);
      } catch (StreamReadException e) {
        long at = e.getLocation().getCharOffset();
        // at the end Jackson's message would quote its own "start marker" location
        throw error(
            text,
            source,
            at < text.length() ? e.getOriginalMessage() : "unexpected end of text",
            at);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not thrown by a parser of a String
    }
  }

  private static Map<String, Object> flatObject(JsonParser p, String text, String source)
      throws IOException {
    JsonToken t = p.nextToken();
    if (t == null) {
      throw error(text, source, "unexpected end of text", text.length());
    }
    if (t != JsonToken.START_OBJECT) {
      throw error(text, source, "expected a JSON object", offset(p));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      if (m.containsKey(key)) {
        throw error(text, source, "duplicate key \"" + key + "\"", offset(p));
      }
      t = p.nextToken();
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        throw error(
            text,
            source,
            "nested objects and arrays are not supported (key \"" + key + "\")",
            offset(p));
      }
      if (t == JsonToken.VALUE_NUMBER_FLOAT && p.isNaN()) {
        throw error(
            text,
            source,
            "expected a string, number, true, false or null for \"" + key + "\"",
            offset(p));
      }
      m.put(key, value(p, t));
    }
    // the object is closed; only white space may follow
    int end = (int) p.currentLocation().getCharOffset();
    while (end < text.length() && " \t\r\n".indexOf(text.charAt(end)) >= 0) {
      end++;
    }
    if (end < text.length()) {
      throw error(text, source, "unexpected text after the object", end);
    }
    return m;
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT ->
          p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
              ? p.getBigIntegerValue()
              : (Object) p.getLongValue();
      case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new AssertionError(t); // the parser returns no other token for a value
    };
  }

  /** Where the current token starts. */
  private static long offset(JsonParser p) {
    return p.currentTokenLocation().getCharOffset();
  }

  private static IllegalArgumentException error(
      String text, String source, String why, long offset) {
    int at = (int) Math.max(0, Math.min(offset, text.length()));
    int line = 1;
    int lineStart = 0;
    for (int k = 0; k < at; k++) {
      if (text.charAt(k) == '\n') {
        line++;
        lineStart = k + 1;
      }
    }
    String near =
        at < text.length() ? text.substring(at, Math.min(text.length(), at + 20)) : "end of text";
    return new IllegalArgumentException(
        "Cannot parse "
            + source
            + ": "
            + why
            + " at line "
            + line
            + ", column "
            + (at - lineStart + 1)
            + " (got '"
            + near
            + "')");
  }

  /**
   * A flat object (strings, numbers, booleans, null) on one line, e.g. a run config in a table
   * column: {@code {"preset": "nanda2023", "modulus": 113}}.
   */
  public static String writeFlat(Map<String, ?> m) {
    return write(m, layout(true));
  }

  /**
   * Writes a value as JSON: maps (string keys) as objects, collections, {@code int[]}, {@code
   * long[]} and {@code double[]} as arrays, numbers, booleans, null, anything else as its string.
   * Non-finite doubles are written as {@code null} (JSON has no NaN). Objects get one member per
   * line, indented by two spaces; arrays stay on one line.
   */
  public static String write(Object value) {
    return write(value, layout(false));
  }

  /**
   * phasemap's layout, Jackson's default pretty printer with {@code "key": value}, {@code [1, 2]},
   * {@code {}} and {@code []}; objects one member per line unless {@code oneLine}. A new printer
   * per text: it counts the nesting.
   */
  private static PrettyPrinter layout(boolean oneLine) {
    Separators separators =
        Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEntrySpacing(oneLine ? Separators.Spacing.AFTER : Separators.Spacing.NONE)
            .withArrayValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");
    return new DefaultPrettyPrinter(separators)
        .withObjectIndenter(
            oneLine ? new DefaultPrettyPrinter.NopIndenter() : new DefaultIndenter("  ", "\n"))
        .withArrayIndenter(new DefaultPrettyPrinter.NopIndenter());
  }

  private static String write(Object value, PrettyPrinter layout) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.setPrettyPrinter(layout);
      write(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not thrown by a generator into a StringWriter
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof Collection<?> c) {
      g.writeStartArray();
      for (Object x : c) {
        write(g, x);
      }
      g.writeEndArray();
    } else if (v instanceof double[] a) {
      g.writeStartArray();
      for (double x : a) {
        number(g, x);
      }
      g.writeEndArray();
    } else if (v instanceof int[] a) {
      g.writeArray(a, 0, a.length);
    } else if (v instanceof long[] a) {
      g.writeArray(a, 0, a.length);
    } else if (v instanceof Double || v instanceof Float) {
      number(g, ((Number) v).doubleValue());
    } else if (v instanceof Number) {
      // integers and BigDecimal as Java prints them
      g.writeNumber(v.toString());
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else {
      g.writeString(v.toString());
    }
  }

  /** A double as JSON: its {@link Double#toString} text, or null when not finite. */
  private static void number(JsonGenerator g, double d) throws IOException {
    if (Double.isFinite(d)) {
      g.writeNumber(d);
    } else {
      g.writeNull();
    }
  }

  /** A JSON string literal. */
  public static String quote(String s) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
  }
}
