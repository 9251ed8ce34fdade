package io.stripesync.web;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * An answer given without reading the request's body (a refusal, a 405, a health check with a body) closes the
 * connection instead of letting Tomcat read and discard the rest of the body on a worker thread. Tomcat 10.1 swallows
 * an unread body (up to {@code server.tomcat.max-swallow-size}) after every synchronous answer, whatever its status or
 * a {@code Connection: close} header: a client trickling a declared body a byte at a time held a thread per connection
 * for a minute. Only an error state skips the swallow; this is the one Tomcat sets itself for an aborted upload
 * ({@code DISABLE_SWALLOW_INPUT}: the answer is written whole, then the connection closes).
 *
 * <p>Before closing, the part of a small body that has already arrived is read and discarded, without waiting for
 * more (a non-blocking read of what the socket holds). A connection closed with unread bytes in it ends in a reset,
 * and a reset can destroy the answer before the client reads it: a client that sent a 20 KB body to a route that
 * takes none now and then saw its 405 vanish. When the whole body was there, the connection simply stays open for the
 * next request. "Small" is what Tomcat would swallow ({@code server.tomcat.max-swallow-size}); only a body with a
 * declared length is read this way (a chunked one could make the read wait for the next chunk's header).
 *
 * <p>A body still on its way when the answer goes out (a large one, or any over a slow network) is not waited for:
 * that would hand a worker thread to whoever sends slowly. Its answer can still be lost to the reset. A client that
 * sends large bodies should ask {@code Expect: 100-continue}: a refusal then comes before it sends any. A client
 * that stops sending mid-body (the connection ends) is not an error of the service's: the connection just closes.
 */
public class UnreadBodyValve extends ValveBase {

    public UnreadBodyValve() {
        super(true);
    }

    /** Puts a valve of its own on each Tomcat server (the service's, and actuator's when it has its own port). */
    @Component
    public static class Installer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextValves(new UnreadBodyValve());
        }
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        // an asynchronous request (the trigger, the routes) ends later, on a dispatch that comes through here again
        if (request.isAsync() || bodyFullyRead(request) || readWhatHasArrived(request)) {
            return;
        }
        // after sendError (a 404 or 405 from Spring) Tomcat renders the error page once this valve returns
        boolean errorPagePending = response.isError();
        if (!response.isCommitted()) {
            response.setHeader("Connection", "close");
        }
        if (!errorPagePending) {
            response.finishResponse(); // the answer goes out whole, as it is, before the connection closes
        }
        request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
        if (!errorPagePending) {
            response.setErrorReported(); // closing is not an error to render: the answer is already written
        }
    }

    /** Reads and discards the rest of a small declared-length body as far as it has arrived; true if it all had. */
    private static boolean readWhatHasArrived(Request request) {
        long declared = request.getContentLengthLong();
        if (declared < 0 || declared > swallowLimit(request)) {
            return false;
        }
        byte[] discard = new byte[8192];
        try {
            InputStream body = request.getInputStream();
            while (!bodyFullyRead(request)) {
                if (body.available() == 0) { // nothing in the servlet's buffer: ask the socket, without blocking
                    request.getCoyoteRequest().action(ActionCode.AVAILABLE, Boolean.TRUE);
                    if (request.getCoyoteRequest().getAvailable() <= 0) {
                        return false;
                    }
                }
                if (body.read(discard) < 0) {
                    break;
                }
            }
        } catch (IOException connectionEnded) {
            return false; // the client closed or reset mid-body: nothing more to read, the connection closes
        } catch (IllegalStateException readerTaken) {
            return false; // the application read it as characters: left to Tomcat
        }
        return bodyFullyRead(request);
    }

    private static long swallowLimit(Request request) {
        return request.getConnector().getProtocolHandler() instanceof AbstractHttp11Protocol<?> http11
                ? http11.getMaxSwallowSize() : 0;
    }

    private static boolean bodyFullyRead(Request request) {
        AtomicBoolean fullyRead = new AtomicBoolean(true);
        request.getCoyoteRequest().action(ActionCode.REQUEST_BODY_FULLY_READ, fullyRead);
        return fullyRead.get();
    }
}
