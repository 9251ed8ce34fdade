package io.stripesync.product;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stripesync.config.SyncSettings;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * The project renames (old name: new name, {@code sync.project.renames} in config/application.yaml), handed to the
 * page's statement as a JSON object. The attribution itself is SQL, {@code stripe_project_of}: the value of the
 * metadata key SYNC_PROJECT_METADATA_KEY, else SYNC_DEFAULT_PROJECT, renamed when listed here.
 */
@Component("projectAttribution")
public class ProjectAttribution {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String renamesJson;

    public ProjectAttribution(SyncSettings settings) {
        try {
            this.renamesJson = JSON.writeValueAsString(new TreeMap<>(settings.project().renames()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The renames as a JSON object, bound as a parameter of the page's statement. */
    public String renamesJson() {
        return renamesJson;
    }
}
