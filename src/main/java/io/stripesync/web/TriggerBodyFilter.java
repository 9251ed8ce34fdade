package io.stripesync.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stripesync.config.SyncSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The trigger takes no parameters, but callers send a body ({@code {}} from pg_cron's net.http_post). A body that is
 * not JSON gets 400 and one larger than {@code sync.http.max-body-bytes} gets 413, before any run starts.
 */
@Component
@Order(2)
public class TriggerBodyFilter extends OncePerRequestFilter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int maxBodyBytes;

    public TriggerBodyFilter(SyncSettings settings) {
        this.maxBodyBytes = settings.http().maxBodyBytes();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || ApiTokenFilter.isOpen(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBodyBytes) {
            refuse(response, 413, "request body larger than " + maxBodyBytes + " bytes");
            return;
        }
        byte[] body = request.getInputStream().readNBytes(maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            refuse(response, 413, "request body larger than " + maxBodyBytes + " bytes");
            return;
        }
        if (!isBlankOrJson(body)) {
            refuse(response, 400, "request body is not JSON");
            return;
        }
        chain.doFilter(new ReplayedBody(request, body), response);
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

    private static void refuse(HttpServletResponse response, int status, String error) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"success\":false,\"error\":\"" + error + "\"}");
    }

    /** The request with its body, already read here, readable again downstream. */
    private static final class ReplayedBody extends HttpServletRequestWrapper {

        private final byte[] body;

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
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
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
