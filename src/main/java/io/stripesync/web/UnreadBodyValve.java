package io.stripesync.web;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
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
        if (request.isAsync() || bodyFullyRead(request)) {
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

    private static boolean bodyFullyRead(Request request) {
        AtomicBoolean fullyRead = new AtomicBoolean(true);
        request.getCoyoteRequest().action(ActionCode.REQUEST_BODY_FULLY_READ, fullyRead);
        return fullyRead.get();
    }
}
