package io.stripesync.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;

/**
 * The trigger's answer when SYNC_HTTP_TIMEOUT passes before the run ends: our shape,
 * {@code {"success":false,"error":...,"runId":N}} with 503, so the caller can look the run up (it goes on).
 */
@RestControllerAdvice
public class TriggerTimeout {

    /** Request attribute the run sets when it starts: its id. */
    public static final String RUN_ID = TriggerTimeout.class.getName() + ".runId";

    @ExceptionHandler(AsyncRequestTimeoutException.class)
    ResponseEntity<Map<String, Object>> timedOut(HttpServletRequest request) {
        Object runId = request.getAttribute(RUN_ID);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", false);
        answer.put("error", "the run did not end within SYNC_HTTP_TIMEOUT; it goes on"
                + (runId == null ? "" : ": see GET /stripe-sync-products/runs/" + runId));
        if (runId != null) {
            answer.put("runId", runId);
        }
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_JSON)
                .cacheControl(CacheControl.noStore()).body(answer);
    }
}
