package io.stripesync.product;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The project renames (old name: new name, {@code sync.project.renames} in config/application.yaml), handed to the
 * page's statement as a JSON object. The attribution itself is SQL, {@code stripe_project_of}: the value of the
 * metadata key SYNC_PROJECT_KEY, else SYNC_DEFAULT_PROJECT, renamed when listed here.
 */
@Component("projectAttribution")
public class ProjectAttribution {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String renamesJson;

    public ProjectAttribution(Environment environment) {
        Map<String, String> renames = Binder.get(environment)
                .bind("sync.project.renames", Bindable.mapOf(String.class, String.class)).orElse(Map.of());
        try {
            this.renamesJson = JSON.writeValueAsString(new TreeMap<>(renames));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The renames as a JSON object, bound as a parameter of the page's statement. */
    public String renamesJson() {
        return renamesJson;
    }
}
