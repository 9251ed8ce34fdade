package io.stripesync.config;

/**
 * Text from outside (Stripe's data and messages, exception texts) made safe for one log line: control characters
 * (a newline above all, which could forge a line of its own) are escaped as {@code \n}, {@code \r}, {@code \t} or
 * {@code \}{@code uXXXX}.
 */
public final class LogSafe {

    private LogSafe() {
    }

    public static String text(Object value) {
        String text = String.valueOf(value);
        StringBuilder safe = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isISOControl(c) && c != '\u2028' && c != '\u2029') {
                if (safe != null) {
                    safe.append(c);
                }
                continue;
            }
            if (safe == null) {
                safe = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            switch (c) {
                case '\n' -> safe.append("\\n");
                case '\r' -> safe.append("\\r");
                case '\t' -> safe.append("\\t");
                default -> safe.append(String.format("\\u%04x", (int) c));
            }
        }
        return safe == null ? text : safe.toString();
    }
}
