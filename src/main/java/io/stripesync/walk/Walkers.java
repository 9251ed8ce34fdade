package io.stripesync.walk;

import io.stripesync.config.SyncSettings;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The walkers' thread pool, named in the sync route's split ({@code executorService: syncWalkers}). A Camel thread
 * pool profile rather than an executor bean: the route owns the pool (a reloaded route makes a new one, a stopping
 * service shuts it down after the run in progress ended), and Spring Boot keeps its own task executor.
 */
@Configuration(proxyBeanMethods = false)
public class Walkers {

    /**
     * One thread per walker, one for the window source waiting for the next window, and one spare for a walker
     * handing its thread back while the next window starts.
     */
    @Bean("syncWalkers")
    ThreadPoolProfile syncWalkers(SyncSettings settings) {
        int concurrency = settings.walk().concurrency();
        return new ThreadPoolProfileBuilder("syncWalkers").poolSize(concurrency + 2).maxPoolSize(concurrency + 2)
                .maxQueueSize(-1).build();
    }
}
