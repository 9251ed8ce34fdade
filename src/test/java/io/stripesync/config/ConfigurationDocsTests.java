package io.stripesync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/configuration.md names every environment variable that config/application.yaml reads. */
class ConfigurationDocsTests {

    private static final Path SETTINGS = Path.of("config/application.yaml");
    private static final Path DOCS = Path.of("docs/configuration.md");

    // ${NAME:...}, and the old name in ${NEW:${OLD:default}}; lower-case ${sync.x} are properties, not variables
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");

    @Test
    void everyEnvironmentVariableOfTheSettingsIsDocumented() throws IOException {
        String docs = Files.readString(DOCS);
        Set<String> missing = new TreeSet<>();
        for (String variable : variablesOf(SETTINGS)) {
            if (!Pattern.compile("(?<![A-Z0-9_])" + variable + "(?![A-Z0-9_])").matcher(docs).find()) {
                missing.add(variable);
            }
        }
        assertThat(missing).as("variables of %s without a mention in %s", SETTINGS, DOCS).isEmpty();
    }

    private static Set<String> variablesOf(Path yaml) throws IOException {
        Set<String> variables = new TreeSet<>();
        for (String line : Files.readAllLines(yaml)) {
            // comments only describe placeholders (the header's ${NEW:${OLD:default}}): values only
            Matcher matcher = VARIABLE.matcher(line.replaceFirst("(^|\\s)#.*", ""));
            while (matcher.find()) {
                variables.add(matcher.group(1));
            }
        }
        assertThat(variables).as("variables found in %s", yaml).isNotEmpty();
        return variables;
    }
}
