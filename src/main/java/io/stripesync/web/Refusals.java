package io.stripesync.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The answers the filters give themselves, in the service's shape: {@code {"success":false,"error":"..."}}. */
final class Refusals {

    private Refusals() {
    }

    /** {@code error} is one of the filters' own fixed texts: nothing from the request. */
    static void answer(HttpServletResponse response, int status, String error) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"success\":false,\"error\":\"" + error + "\"}");
    }
}
