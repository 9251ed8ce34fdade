package io.stripesync;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 by hand over a socket, for what java.net.http cannot do: send from another loopback address (127.0.0.x),
 * send a header value it would refuse, declare a body and not send it, or see whether the server closed the
 * connection.
 */
final class RawHttp {

    private RawHttp() {
    }

    /** One answer: its status, headers (names in lower case), body, and whether the server then closed. */
    record Answer(int status, Map<String, String> headers, String body, boolean closed) {
    }

    /** A connection to the service on {@code port} from {@code localAddress} (any 127.x.y.z on Linux). */
    static Socket connect(String localAddress, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        socket.setSoTimeout(5000);
        return socket;
    }

    /** Sends {@code request} (whole, as written) on a new connection and reads one answer. */
    static Answer send(String localAddress, int port, String request) throws IOException {
        return send(localAddress, port, request, false);
    }

    /** The same, and then whether the server closes the connection within a second ({@link Answer#closed()}). */
    static Answer sendAndWatchClose(String localAddress, int port, String request) throws IOException {
        return send(localAddress, port, request, true);
    }

    private static Answer send(String localAddress, int port, String request, boolean checkClosed) throws IOException {
        try (Socket socket = connect(localAddress, port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return read(socket, checkClosed);
        }
    }

    /** A request with the given method, path, headers ({@code "Name: value"} each) and body (may be empty). */
    static String request(String method, String path, String body, String... headers) {
        StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        if (!body.isEmpty()) {
            request.append("Content-Length: ").append(body.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n");
        }
        return request.append("\r\n").append(body).toString();
    }

    /**
     * Reads one answer (status line, headers, a body of Content-Length bytes or chunked), and if {@code checkClosed}
     * whether the server then closes the connection within a second.
     */
    static Answer read(Socket socket, boolean checkClosed) throws IOException {
        InputStream in = socket.getInputStream();
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            line(in);
        }
        return new Answer(status, headers, body.toString(StandardCharsets.UTF_8),
                checkClosed && closedWithin(socket, 1000));
    }

    /** Whether the server closes {@code socket} within {@code millis} (reading and dropping anything it sends). */
    static boolean closedWithin(Socket socket, int millis) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            while (true) {
                if (socket.getInputStream().read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed in the middle of an answer: " + line);
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
