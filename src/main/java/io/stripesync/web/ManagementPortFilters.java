package io.stripesync.web;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * With {@code MANAGEMENT_SERVER_PORT}, actuator runs in a server of its own, which Spring Boot gives none of the
 * service's filters: the same ones (the same tokens, headers and body rules) and the same valve are put on it here.
 * Listed in META-INF/spring/...ManagementContextConfiguration.imports, which loads it into that server's context.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@Conditional(ManagementPortFilters.InManagementServer.class)
public class ManagementPortFilters {

    @Bean
    FilterRegistrationBean<ResponseHeadersFilter> managementResponseHeadersFilter(ResponseHeadersFilter filter) {
        return registration(filter, 0);
    }

    @Bean
    FilterRegistrationBean<ApiTokenFilter> managementApiTokenFilter(ApiTokenFilter filter) {
        return registration(filter, 1);
    }

    @Bean
    FilterRegistrationBean<TriggerBodyFilter> managementTriggerBodyFilter(TriggerBodyFilter filter) {
        return registration(filter, 2);
    }

    @Bean
    UnreadBodyValve.Installer managementUnreadBodyValve() {
        return new UnreadBodyValve.Installer();
    }

    private static <T extends jakarta.servlet.Filter> FilterRegistrationBean<T> registration(T filter, int order) {
        FilterRegistrationBean<T> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(order);
        return registration;
    }

    /**
     * Component scanning finds this class too: it registers nothing in the service's own context (which has no
     * parent), only in actuator's (a child of it).
     */
    static class InManagementServer implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return context.getBeanFactory() != null && context.getBeanFactory().getParentBeanFactory() != null;
        }
    }
}
