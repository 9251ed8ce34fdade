package io.stripesync.standin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.stripesync.TestJson.JSON;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.matching.StringValuePattern;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A local stand-in for Stripe's API, on WireMock: {@code GET /v1/products} and {@code GET /v1/prices} page through a
 * {@link StripeCatalogue} with Stripe's real {@code limit} / {@code starting_after} / {@code has_more} behaviour and
 * its product filters ({@code active}, {@code created[...]}), {@code expand[]=data.default_price} puts each product's
 * default price inline, the Bearer key is checked, and errors are answered with Stripe's error bodies. Tests inject
 * faults into the product list with the {@code fail...} methods (WireMock stubs of higher priority than the catalogue).
 */
public class StripeStandIn {

    /** The key the stand-in accepts. It is a test-mode-shaped key that works nowhere else. */
    public static final String API_KEY = "sk_test_StandIn0LocalOnly0Key1234";
    /** Priority of the catalogue stub; fault stubs with a smaller number are matched first. */
    public static final int CATALOGUE_PRIORITY = 10;
    private static final int FAULT_PRIORITY = 1;

    private final StripeCatalogue catalogue = new StripeCatalogue();
    private final AtomicInteger productListRequests = new AtomicInteger();
    private final AtomicInteger priceListRequests = new AtomicInteger();
    private final AtomicInteger eventListRequests = new AtomicInteger();
    private final WireMockServer server;
    private volatile ProductSource source = catalogue;
    private volatile double faultProbability;
    private volatile int rateLimitPerSecond;
    private double rateTokens;
    private long rateRefilledAt;
    private final AtomicInteger rateLimited = new AtomicInteger();
    private final AtomicInteger faultScenarios = new AtomicInteger();
    private volatile java.util.Random faultRandom = new java.util.Random(0);
    private final Map<String, AtomicInteger> faultsInjected = new java.util.concurrent.ConcurrentHashMap<>();

    private StripeStandIn(int port, boolean recordRequests) {
        WireMockConfiguration config = wireMockConfig().port(port).containerThreads(64)
                .notifier(new Slf4jNotifier(false)).extensions(new ProductList());
        server = new WireMockServer(recordRequests ? config : config.disableRequestJournal());
    }

    /** A stand-in on {@code port} (0: any free port) that records every request for tests to inspect. */
    public static StripeStandIn start(int port) {
        return start(port, true);
    }

    /** With {@code recordRequests} false, only {@link #productListRequestCount()} counts: for long benchmarks. */
    public static StripeStandIn start(int port, boolean recordRequests) {
        StripeStandIn standIn = new StripeStandIn(port, recordRequests);
        standIn.server.start();
        standIn.stubCatalogue();
        return standIn;
    }

    /** Lists {@code products} instead of the {@link #catalogue()} until the next {@link #reset()}. */
    public void serve(ProductSource products) {
        this.source = products;
    }

    /**
     * From now on, answers each product-list request with a random fault (429, 500, 503, an HTML 502, a reset
     * connection, a malformed chunk, truncated JSON) with the given probability. Repeatable for a given seed.
     */
    public void injectRandomFaults(double probability, long seed) {
        faultRandom = new java.util.Random(seed);
        faultProbability = probability;
    }

    /**
     * Enforces a rate limit as Stripe does, with a token bucket: {@code perSecond} requests a second, bursts of at most
     * {@code perSecond}; a request without a token is answered 429 with {@code Stripe-Rate-Limited-Reason:
     * global-rate}. 0 switches it off.
     */
    public synchronized void rateLimit(int perSecond) {
        rateLimitPerSecond = perSecond;
        rateTokens = perSecond;
        rateRefilledAt = System.nanoTime();
    }

    /** Requests answered 429 by {@link #rateLimit}. */
    public int rateLimitedRequests() {
        return rateLimited.get();
    }

    /** The faults injected by {@link #injectRandomFaults}, by kind. */
    public Map<String, Integer> faultsInjected() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        faultsInjected.forEach((kind, count) -> counts.put(kind, count.get()));
        return counts;
    }

    /** Product-list requests answered by the catalogue (fault stubs not included) since the last reset. */
    public int productListRequestCount() {
        return productListRequests.get();
    }

    /** Price-list requests answered by the catalogue since the last reset. */
    public int priceListRequestCount() {
        return priceListRequests.get();
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    public StripeCatalogue catalogue() {
        return catalogue;
    }

    /** The WireMock server, for fault stubs and for checking what was asked. */
    public WireMockServer wireMock() {
        return server;
    }

    /** Added to every answer, to model the round trip to the real Stripe. */
    public void latencyMs(int millis) {
        server.setGlobalFixedDelay(millis);
    }

    public List<LoggedRequest> productListRequests() {
        return server.findAll(getRequestedFor(urlPathEqualTo("/v1/products")));
    }

    public List<LoggedRequest> eventListRequests() {
        return server.findAll(getRequestedFor(urlPathEqualTo("/v1/events")));
    }

    /** Event-list requests answered by the stand-in since the last reset (also when not recording requests). */
    public int eventListRequestCount() {
        return eventListRequests.get();
    }

    public List<LoggedRequest> priceListRequests() {
        return server.findAll(getRequestedFor(urlPathEqualTo("/v1/prices")));
    }

    /**
     * The next {@code times} product-list requests are answered with {@code fault} (a Stripe error, a dropped
     * connection, a garbled body...); the catalogue answers the ones after.
     */
    public void failNextProductRequests(int times, ResponseDefinitionBuilder fault) {
        String scenario = "fault-" + faultScenarios.incrementAndGet();
        String state = Scenario.STARTED;
        for (int i = 1; i <= times; i++) {
            String next = "failed-" + i;
            server.stubFor(productListFault().inScenario(scenario).whenScenarioStateIs(state).willSetStateTo(next)
                    .willReturn(fault));
            state = next;
        }
    }

    /** Every product-list request is answered with {@code fault}, until {@link #clearFaults()}. */
    public void failProductRequests(ResponseDefinitionBuilder fault) {
        server.stubFor(productListFault().willReturn(fault));
    }

    /**
     * Every product-list request whose query parameter {@code name} matches {@code value} (e.g. a cursor, a window's
     * {@code created[lt]}) is answered with {@code fault}, until {@link #clearFaults()}.
     */
    public void failProductRequestsWhere(String name, StringValuePattern value, ResponseDefinitionBuilder fault) {
        server.stubFor(productListFault().withQueryParam(name, value).willReturn(fault));
    }

    /** An error answer as Stripe gives it: the status, JSON, and Stripe's error body (see {@link #errorBody}). */
    public static ResponseDefinitionBuilder stripeError(int status, String type, String code, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(errorBody(type, code, message));
    }

    /** Forgets products, fault stubs, latency and recorded requests. */
    public void reset() {
        server.resetAll(); // mappings, requests, scenarios: not the global delay
        latencyMs(0);
        catalogue.clear();
        source = catalogue;
        productListRequests.set(0);
        priceListRequests.set(0);
        eventListRequests.set(0);
        faultProbability = 0;
        faultsInjected.clear();
        rateLimit(0);
        rateLimited.set(0);
        stubCatalogue();
    }

    /** Removes the fault stubs tests added; the catalogue stays. */
    public void clearFaults() {
        server.resetMappings();
        stubCatalogue();
    }

    public void stop() {
        server.stop();
    }

    private static MappingBuilder productListFault() {
        return get(urlPathEqualTo("/v1/products")).atPriority(FAULT_PRIORITY);
    }

    private void stubCatalogue() {
        server.stubFor(get(urlPathEqualTo("/v1/products")).atPriority(CATALOGUE_PRIORITY)
                .willReturn(aResponse().withTransformers(ProductList.NAME)));
        server.stubFor(get(urlPathEqualTo("/v1/prices")).atPriority(CATALOGUE_PRIORITY)
                .willReturn(aResponse().withTransformers(ProductList.NAME)));
        server.stubFor(get(urlPathEqualTo("/v1/events")).atPriority(CATALOGUE_PRIORITY)
                .willReturn(aResponse().withTransformers(ProductList.NAME)));
    }

    /** Stripe's error body, e.g. {@code error("invalid_request_error", "resource_missing", "No such product")}. */
    public static String errorBody(String type, String code, String message) {
        try {
            return JSON.writeValueAsString(Map.of("error", code == null
                    ? Map.of("type", type, "message", message)
                    : Map.of("type", type, "code", code, "message", message)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private class ProductList implements ResponseDefinitionTransformerV2 {

        static final String NAME = "stripe-product-list";

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        @SuppressWarnings("unchecked")
        public ResponseDefinition transform(ServeEvent serveEvent) {
            Request request = serveEvent.getRequest();
            boolean prices = request.getUrl().startsWith("/v1/prices");
            if (request.getUrl().startsWith("/v1/events")) {
                eventListRequests.incrementAndGet();
            } else {
                (prices ? priceListRequests : productListRequests).incrementAndGet();
            }
            if (overRateLimit()) {
                rateLimited.incrementAndGet();
                return aResponse().withStatus(429).withHeader("Stripe-Rate-Limited-Reason", "global-rate")
                        .withHeader("Content-Type", "application/json")
                        .withBody(errorBody("invalid_request_error", "rate_limit", "Too many requests")).build();
            }
            ResponseDefinition fault = randomFault();
            if (fault != null) {
                return fault;
            }
            if (!("Bearer " + API_KEY).equals(request.getHeader("Authorization"))) {
                String given = String.valueOf(request.getHeader("Authorization")).replace("Bearer ", "");
                return json(401, errorBody("invalid_request_error", null,
                        "Invalid API Key provided: " + io.stripesync.config.Secrets.mask(given)));
            }
            int limit = intParam(request, "limit", 10);
            if (limit < 1 || limit > 100) {
                return json(400, errorBody("invalid_request_error", "parameter_invalid_integer",
                        "This value must be greater than or equal to 1 and less than or equal to 100."));
            }
            String startingAfter = param(request, "starting_after");
            if (request.getUrl().startsWith("/v1/events")) {
                QueryParameter types = request.queryParameter("types[]");
                String gte = param(request, "created[gte]");
                Map<String, Object> events = catalogue.eventsPage(limit, startingAfter,
                        types.isPresent() ? types.values() : List.of(), gte == null ? null : Long.valueOf(gte));
                return events == null ? json(400, errorBody("invalid_request_error", "resource_missing",
                        "No such event: '" + startingAfter + "'")) : json(200, write(events));
            }
            QueryParameter ids = request.queryParameter("ids[]");
            if (ids.isPresent() && startingAfter != null) {
                return json(400, errorBody("invalid_request_error", null,
                        "You cannot pass `ids` together with `starting_after` or `ending_before`."));
            }
            Map<String, Object> page = prices ? source.pricesPage(limit, startingAfter)
                    : source.page(limit, startingAfter, filterOf(request), createdFrom(request), createdUntil(request));
            if (page == null) {
                return json(400, errorBody("invalid_request_error", "resource_missing",
                        "No such " + (prices ? "price" : "product") + ": '" + startingAfter + "'"));
            }
            if (!prices && request.queryParameter("expand[]").containsValue("data.default_price")) {
                page.put("data", expandDefaultPrices((List<Map<String, Object>>) page.get("data")));
            }
            try {
                return json(200, JSON.writeValueAsString(page));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        private boolean overRateLimit() {
            synchronized (StripeStandIn.this) {
                int limit = rateLimitPerSecond;
                if (limit <= 0) {
                    return false;
                }
                long now = System.nanoTime();
                rateTokens = Math.min(limit, rateTokens + (now - rateRefilledAt) * limit / 1e9);
                rateRefilledAt = now;
                if (rateTokens < 1) {
                    return true;
                }
                rateTokens -= 1;
                return false;
            }
        }

        private List<Map<String, Object>> expandDefaultPrices(List<Map<String, Object>> products) {
            return products.stream().map(product -> {
                if (!(product.get("default_price") instanceof String id) || source.price(id) == null) {
                    return product;
                }
                Map<String, Object> expanded = new java.util.LinkedHashMap<>(product);
                expanded.put("default_price", source.price(id));
                return expanded;
            }).toList();
        }

        private ResponseDefinition randomFault() {
            if (faultProbability <= 0) {
                return null;
            }
            String kind;
            synchronized (faultRandom) {
                if (faultRandom.nextDouble() >= faultProbability) {
                    return null;
                }
                kind = List.of("429", "500", "503", "html-502", "connection-reset", "malformed-chunk", "truncated-json")
                        .get(faultRandom.nextInt(7));
            }
            faultsInjected.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
            return switch (kind) {
                case "429" -> json(429, errorBody("invalid_request_error", "rate_limit", "Too many requests"));
                case "500" -> json(500, errorBody("api_error", null, "Something went wrong"));
                case "503" -> json(503, errorBody("api_error", null, "Service unavailable"));
                case "html-502" -> aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                        .withBody("<html><h1>502 Bad Gateway</h1></html>").build();
                case "connection-reset" -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER).build();
                case "malformed-chunk" -> aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK).build();
                default -> json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"prod_");
            };
        }

        private Predicate<Map<String, Object>> filterOf(Request request) {
            Predicate<Map<String, Object>> filter = p -> true;
            QueryParameter ids = request.queryParameter("ids[]");
            if (ids.isPresent()) {
                java.util.Set<String> wanted = new java.util.HashSet<>(ids.values());
                filter = filter.and(p -> wanted.contains(p.get("id")));
            }
            String active = param(request, "active");
            if (active != null) {
                filter = filter.and(p -> String.valueOf(p.get("active")).equals(active));
            }
            for (String bound : List.of("gt", "gte", "lt", "lte")) { // checked here; the bounds below only skip
                String value = param(request, "created[" + bound + "]");
                if (value != null) {
                    long limit = Long.parseLong(value);
                    filter = filter.and(p -> {
                        long created = StripeCatalogue.createdOf(p);
                        return switch (bound) {
                            case "gt" -> created > limit;
                            case "gte" -> created >= limit;
                            case "lt" -> created < limit;
                            default -> created <= limit;
                        };
                    });
                }
            }
            return filter;
        }

        /** The lowest creation time a request asks for (created[gte] or created[gt] + 1), or null. */
        private Long createdFrom(Request request) {
            String gte = param(request, "created[gte]");
            String gt = param(request, "created[gt]");
            return gte != null ? Long.valueOf(gte) : gt != null ? Long.parseLong(gt) + 1 : null;
        }

        /** The creation time a request asks for products before (created[lt] or created[lte] + 1), or null. */
        private Long createdUntil(Request request) {
            String lt = param(request, "created[lt]");
            String lte = param(request, "created[lte]");
            return lt != null ? Long.valueOf(lt) : lte != null ? Long.parseLong(lte) + 1 : null;
        }

        private String param(Request request, String name) {
            QueryParameter parameter = request.queryParameter(name);
            return parameter.isPresent() ? parameter.firstValue() : null;
        }

        private int intParam(Request request, String name, int fallback) {
            String value = param(request, name);
            try {
                return value == null ? fallback : Integer.parseInt(value);
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        private String write(Object value) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        private ResponseDefinition json(int status, String body) {
            return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                    .withHeader("Request-Id", "req_standin").withBody(body).build();
        }
    }
}
