package io.stripesync.web;

import io.stripesync.config.LogSafe;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Wrong tokens, counted per caller address (the client's, behind a proxy declared trusted). After {@link #LIMIT}
 * within a minute the address is refused with 429 for a minute, whatever token it sends; other addresses are not
 * affected. Logged: the first wrong token of an address in a minute, and the moment it is blocked; never one line per
 * attempt, and at most {@link #LINES_PER_MINUTE} such lines a minute in all (the rest are counted, and the count is
 * given with the next line).
 */
@Component
public class FailedLogins {

    public static final int LIMIT = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Addresses tracked at most: past this (a flood from many addresses) new ones are refused but not counted. */
    static final int MAX_ADDRESSES = 10_000;
    static final int LINES_PER_MINUTE = 20;

    private static final Logger log = LoggerFactory.getLogger(FailedLogins.class);
    private static final long ORIGIN = System.nanoTime() - 2 * WINDOW.toNanos();

    private final Map<String, Attempts> byAddress = new HashMap<>();
    private long linesWindowStart;
    private int linesInWindow;
    private long unlogged;

    private static final class Attempts {
        long windowStart;
        int failures;
        long blockedUntil;
    }

    /** How much longer {@code address} is refused, or null when it is not. */
    public synchronized Duration blockedFor(String address) {
        Attempts attempts = byAddress.get(address);
        long now = now();
        return attempts == null || attempts.blockedUntil <= now ? null : Duration.ofNanos(attempts.blockedUntil - now);
    }

    /** Counts a wrong token from {@code address} for {@code request} (method and path); the LIMIT-th within a minute blocks it. */
    public synchronized void failed(String address, String request) {
        long now = now();
        Attempts attempts = byAddress.get(address);
        if (attempts == null) {
            if (byAddress.size() >= MAX_ADDRESSES) {
                byAddress.values().removeIf(a -> a.blockedUntil <= now && now - a.windowStart >= WINDOW.toNanos());
            }
            if (byAddress.size() >= MAX_ADDRESSES) {
                logLimited("Wrong token from {} ({}); too many addresses to track", address, request);
                return;
            }
            attempts = new Attempts();
            attempts.windowStart = now;
            byAddress.put(address, attempts);
        } else if (now - attempts.windowStart >= WINDOW.toNanos()) {
            attempts.windowStart = now;
            attempts.failures = 0;
        }
        attempts.failures++;
        if (attempts.failures == 1) {
            logLimited("Wrong token from {} ({}); more from this address within the minute are counted, not logged",
                    address, request);
        }
        if (attempts.failures < LIMIT) {
            return;
        }
        attempts.blockedUntil = now + WINDOW.toNanos();
        attempts.failures = 0;
        attempts.windowStart = attempts.blockedUntil;
        logLimited(LIMIT + " wrong tokens from {} within a minute (the last: {}): every request from it that needs "
                + "a token is refused with 429 for " + WINDOW.toSeconds() + " s", address, request);
    }

    /** Forgets every address and count (each test starts from none). */
    public synchronized void clear() {
        byAddress.clear();
        linesInWindow = 0;
        unlogged = 0;
    }

    private void logLimited(String message, String address, String request) {
        long now = now();
        if (now - linesWindowStart >= WINDOW.toNanos()) {
            linesWindowStart = now;
            linesInWindow = 0;
        }
        if (++linesInWindow > LINES_PER_MINUTE) {
            unlogged++;
            return;
        }
        String earlier = unlogged == 0 ? "" : " (" + unlogged + " earlier line(s) on wrong tokens not logged)";
        unlogged = 0;
        log.warn(message + earlier, LogSafe.text(address), LogSafe.text(request));
    }

    /** Nanoseconds on a monotonic clock that starts two windows in: a field still 0 means long ago. */
    private static long now() {
        return System.nanoTime() - ORIGIN;
    }
}
