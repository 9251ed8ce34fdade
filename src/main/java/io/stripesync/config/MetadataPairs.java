package io.stripesync.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads SYNC_FILTER_METADATA. */
public final class MetadataPairs {

    private MetadataPairs() {
    }

    /**
     * {@code key=value} pairs separated by commas: a product matches when, for every key named, its metadata holds one
     * of the values given for that key ({@code project=omnia,project=atlas,tier=gold}: omnia or atlas, and gold).
     */
    public static Map<String, Set<String>> parse(String text) {
        Map<String, Set<String>> pairs = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("expects key=value pairs separated by commas, e.g. project=omnia");
            }
            pairs.computeIfAbsent(pair.substring(0, equals).trim(), k -> new TreeSet<>())
                    .add(pair.substring(equals + 1).trim());
        }
        return pairs;
    }
}
