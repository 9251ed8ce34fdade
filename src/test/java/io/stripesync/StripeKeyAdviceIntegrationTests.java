package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.stripesync.standin.StripeStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
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
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        try (ConfigurableApplicationContext service = ServiceOnDatabase.start(ServiceOnDatabase.newDatabase(""), STRIPE)) {
            // attached once the service has set up its logging
            Logger logger = (Logger) LoggerFactory.getLogger("io.stripesync");
            lines.start();
            logger.addAppender(lines);
            try {
                ServiceOnDatabase.sync(service);
                ServiceOnDatabase.sync(service);
            } finally {
                logger.detachAppender(lines);
            }
        }

        assertThat(lines.list).filteredOn(e -> e.getFormattedMessage().contains("restricted key (rk_...)"))
                .hasSize(1);
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains(StripeStandIn.API_KEY));
    }
}
