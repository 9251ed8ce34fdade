package io.stripesync;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one ObjectMapper of the tests (thread-safe once built), and Stripe's JSON fixtures read as Camel reads pages. */
public final class TestJson {

    public static final ObjectMapper JSON = new ObjectMapper();

    private TestJson() {
    }

    /** A JSON object from the test resources ({@code /stripe/product.json}), as a mutable map in its own order. */
    public static Map<String, Object> fixture(String resource) {
        try (InputStream in = TestJson.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return JSON.readValue(in, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of a test resource, as an HTTP body would carry it. */
    public static String fixtureText(String resource) {
        try (InputStream in = TestJson.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
