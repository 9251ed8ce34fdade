package io.stripesync;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Route files of routes/ in a plain CamelContext, for route tests: no Spring, no web server, no database. The
 * context is not started, so that tests can advise the routes first (AdviceWith) and then start it.
 */
public final class YamlRoutes {

    /** The folder the service reads its route files from (SYNC_ROUTES_DIR's default), from the working directory. */
    public static final Path ROUTES = Path.of("routes");

    private YamlRoutes() {
    }

    /**
     * A context with {@code properties} for the files' {@code {{placeholders}}} and {@code beans} bound by name,
     * {@code files} loaded (their route configurations too), and of their routes only those in {@code routeIds}.
     */
    public static DefaultCamelContext load(Map<String, String> properties, Map<String, Object> beans, List<Path> files,
                                           String... routeIds) throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        Properties placeholders = new Properties();
        placeholders.putAll(properties);
        camel.getPropertiesComponent().setInitialProperties(placeholders);
        beans.forEach(camel.getRegistry()::bind);
        for (Path file : files) {
            PluginHelper.getRoutesLoader(camel).loadRoutes(
                    ResourceHelper.resolveMandatoryResource(camel, "file:" + file.toAbsolutePath()));
        }
        Set<String> kept = Set.of(routeIds);
        List<RouteDefinition> others = camel.getRouteDefinitions().stream()
                .filter(route -> !kept.contains(route.getRouteId())).toList();
        camel.removeRouteDefinitions(others);
        if (camel.getRouteDefinitions().size() != kept.size()) {
            throw new IllegalArgumentException("not all of " + kept + " are in " + files);
        }
        return camel;
    }
}
