package io.stripesync.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import io.stripesync.config.StripeSettings;
import io.stripesync.config.SyncSettings;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Only the trigger takes a body. It takes no parameters, but callers send one ({@code {}} from pg_cron's
 * net.http_post): a body that is not JSON gets 400, one larger than {@code sync.http.max-body-bytes} 413, one not
 * received within {@code sync.http.body-timeout} 408, before any run starts. The body is read without holding a
 * thread while it arrives (a client trickling it a byte at a time costs a connection, not a worker). Every other
 * request reaches the application with an empty body: nothing downstream (Camel's binding, actuator) blocks reading
 * a body nobody needs, and {@link UnreadBodyValve} deals with its bytes after the answer.
 */
@Component
@Order(2)
public class TriggerBodyFilter extends OncePerRequestFilter {

    /** The trigger routes' paths (routes/triggers.camel.yaml, and the catch-up's in routes/stripe-events.camel.yaml). */
    static final Set<String> TRIGGER_PATHS = Set.of("/stripe-sync-products", "/omnia-shared/stripe-sync-products",
            "/stripe-sync-products/events");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] NONE = new byte[0];

    private final int maxBodyBytes;
    private final int webhookMaxBodyBytes;
    private final Duration bodyTimeout;

    public TriggerBodyFilter(SyncSettings settings, StripeSettings stripe) {
        this.maxBodyBytes = settings.http().maxBodyBytes();
        this.webhookMaxBodyBytes = stripe.webhookMaxBodyBytes();
        this.bodyTimeout = settings.http().bodyTimeout();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // a POST to another route gets its 405 from Spring; the body of a GET is no one's to read
        String path = ApiTokenFilter.pathOf(request);
        boolean webhook = ApiTokenFilter.WEBHOOK.equals(path);
        if (!"POST".equals(request.getMethod()) || !TRIGGER_PATHS.contains(path) && !webhook) {
            chain.doFilter(new ReplayedBody(request, NONE), response);
            return;
        }
        // a webhook's body is read the same way, byte for byte (its signature covers the raw bytes), up to its own limit
        int limit = webhook ? webhookMaxBodyBytes : maxBodyBytes;
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            Refusals.answer(response, 413, "request body larger than " + limit + " bytes");
            return;
        }
        if (declared == 0 || declared < 0 && request.getHeader("Transfer-Encoding") == null) {
            chain.doFilter(new ReplayedBody(request, NONE), response);
            return;
        }
        ReplayedBody replayed = new ReplayedBody(request, null);
        // the request goes on as an asynchronous dispatch of the replayed one once its body is in
        AsyncContext async = request.startAsync(replayed, response);
        async.setTimeout(bodyTimeout.toMillis());
        BodyReader reader = new BodyReader(request.getInputStream(), async, replayed, response, limit);
        async.addListener(reader);
        request.getInputStream().setReadListener(reader);
    }

    /** Reads the body as it arrives, on Tomcat's threads, then dispatches the request or answers a refusal. */
    private final class BodyReader implements ReadListener, AsyncListener {

        private final ServletInputStream in;
        private final AsyncContext async;
        private final ReplayedBody replayed;
        private final HttpServletResponse response;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final byte[] chunk = new byte[4096];
        private final AtomicBoolean done = new AtomicBoolean();
        private final int limit;

        BodyReader(ServletInputStream in, AsyncContext async, ReplayedBody replayed, HttpServletResponse response,
                   int limit) {
            this.limit = limit;
            this.in = in;
            this.async = async;
            this.replayed = replayed;
            this.response = response;
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!done.get() && in.isReady()) {
                int read = in.read(chunk);
                if (read < 0) {
                    return; // onAllDataRead follows
                }
                body.write(chunk, 0, read);
                if (body.size() > limit) {
                    end(413, "request body larger than " + limit + " bytes");
                    return;
                }
            }
        }

        @Override
        public void onAllDataRead() throws IOException {
            byte[] bytes = body.toByteArray();
            if (!isBlankOrJson(bytes)) {
                end(400, "request body is not JSON");
            } else if (done.compareAndSet(false, true)) {
                replayed.body = bytes;
                async.dispatch();
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            end(408, "request body not received within " + bodyTimeout.toSeconds() + " s");
        }

        @Override
        public void onError(Throwable failure) {
            // the client went away, or sent nothing for server.tomcat.connection-timeout in the middle of the body;
            // handled in onError(AsyncEvent), which Tomcat calls next (complete() from here would not stop its
            // error page, a 500)
        }

        @Override
        public void onError(AsyncEvent event) {
            // Tomcat allows no more writing after a failed read: the connection is closed without an answer
            if (done.compareAndSet(false, true)) {
                async.complete();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }

        /**
         * 400, 408 and 413 close the connection (Tomcat drops it after these, asynchronous answers unread): the rest
         * of the body is never read.
         */
        private void end(int status, String error) throws IOException {
            if (done.compareAndSet(false, true)) {
                Refusals.answer(response, status, error);
                async.complete();
            }
        }
    }

    private static boolean isBlankOrJson(byte[] body) {
        if (new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return true;
        }
        try (var parser = JSON.createParser(body)) {
            while (parser.nextToken() != null) {
                // reads to the end: trailing garbage is not JSON either
            }
            return true;
        } catch (IOException notJson) {
            return false;
        }
    }

    /** The request with its body, read here (or none), readable again downstream. */
    private static final class ReplayedBody extends HttpServletRequestWrapper {

        /** Set before the request is dispatched on; read by the dispatch's thread. */
        private volatile byte[] body;

        ReplayedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public java.io.BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
                    encoding == null ? java.nio.charset.StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding)));
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body == null ? NONE : body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }
            };
        }
    }
}
