package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;

import io.stripesync.standin.StripeStandIn;
import org.junit.jupiter.api.AfterAll;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

class StripeKeyAdviceIntegrationTests {

    private static final StripeStandIn STRIPE = StripeStandIn.start(0);

    @AfterAll
    static void stopStandIn() {
        STRIPE.stop();
    }

    @Test
    void aSecretKeyThatCanWriteGetsOneRecommendationForARestrictedKeyNeverShowingTheKey() {
        STRIPE.catalogue().addGenerated(3);
        List<String> lines;
        try (ConfigurableApplicationContext service = ServiceOnDatabase.start(ServiceOnDatabase.newDatabase(""), STRIPE);
             LogLines log = new LogLines()) { // attached once the service has set up its logging
            ServiceOnDatabase.sync(service);
            ServiceOnDatabase.sync(service);
            lines = log.messages();
        }

        assertThat(lines).filteredOn(m -> m.contains("restricted key (rk_...)")).hasSize(1);
        assertThat(lines).noneMatch(m -> m.contains(StripeStandIn.API_KEY));
    }
}
