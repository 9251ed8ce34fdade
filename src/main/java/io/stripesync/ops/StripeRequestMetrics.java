package io.stripesync.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.springframework.stereotype.Component;

/**
 * Times every request the service makes to Stripe, tagged with the response status ({@code io_error} when there was
 * none): {@code stripe_api_requests_seconds}, a histogram, so latency and 429s are both visible. Installed on the
 * HTTP client of camel-http (config/application.yaml: camel.component.http(s).http-client-configurer).
 */
@Component("stripeRequestMetrics")
public class StripeRequestMetrics implements HttpClientConfigurer {

    private final MeterRegistry registry;

    public StripeRequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addExecInterceptorFirst("stripe-request-metrics", (request, scope, chain) -> {
            long start = System.nanoTime();
            String status = "io_error";
            try {
                ClassicHttpResponse response = chain.proceed(request, scope);
                status = String.valueOf(response.getCode());
                return response;
            } finally {
                Timer.builder("stripe_api_requests").description("Requests to Stripe's API, by response status")
                        .tag("status", status).publishPercentileHistogram().register(registry)
                        .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        });
    }
}
