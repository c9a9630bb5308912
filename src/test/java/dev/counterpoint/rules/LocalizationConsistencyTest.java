package dev.counterpoint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Both languages have every key, with the same placeholders, and every key the code or FXML uses exists. */
class LocalizationConsistencyTest {
    static final Path BUNDLES = Path.of("src/main/resources/dev/counterpoint/i18n");
    /** Keys passed as literals to the places that look text up. */
    static final Pattern CODE_KEY = Pattern.compile(
            "(?:BusinessRuleException|UserMessage|getString|text|message)\\(\\s*\"([a-zA-Z][\\w]*(?:\\.[\\w]+)+)\"");
    static final Pattern FXML_KEY = Pattern.compile("\"%([a-zA-Z][\\w.]*)\"");

    @Test
    void bothLanguagesHaveTheSameKeysAndPlaceholders() throws IOException {
        Properties en = load("messages.properties");
        Properties zh = load("messages_zh_CN.properties");

        assertThat(zh.stringPropertyNames()).containsExactlyInAnyOrderElementsOf(en.stringPropertyNames());
        Map<String, String> mismatched = new TreeMap<>();
        for (String key : en.stringPropertyNames()) {
            assertThat(en.getProperty(key)).as(key).isNotBlank();
            assertThat(zh.getProperty(key)).as(key).isNotBlank();
            if (!placeholders(en.getProperty(key)).equals(placeholders(zh.getProperty(key)))) {
                mismatched.put(key, en.getProperty(key) + " | " + zh.getProperty(key));
            }
        }
        assertThat(mismatched).as("placeholders differ").isEmpty();
    }

    @Test
    void theConsoleTemplatesUseKeysThatExist() throws IOException {
        Set<String> used = new TreeSet<>();
        collect(Path.of("src/main/jte"), ".jte", CODE_KEY, used);
        assertThat(used).as("keys found in the console's templates").contains("console.login.username");
        assertThat(load("messages.properties").stringPropertyNames()).containsAll(used);
    }

    @Test
    void everyKeyUsedInCodeAndFxmlExists() throws IOException {
        Set<String> keys = load("messages.properties").stringPropertyNames();
        Set<String> used = new TreeSet<>();
        collect(Path.of("src/main/java"), ".java", CODE_KEY, used);
        collect(Path.of("fxml"), ".fxml", FXML_KEY, used);
        // The console's templates look text up as t.text("key").
        collect(Path.of("src/main/jte"), ".jte", CODE_KEY, used);
        assertThat(used).as("keys found in code and FXML").isNotEmpty();
        assertThat(keys).containsAll(used);
    }

    /**
     * No key is left behind by removed code: each is named whole in the code, FXML or templates, or is built from a
     * literal prefix there (such as {@code "tag." + tag.name()}), every dot-separated prefix of the key being tried.
     */
    @Test
    void everyKeyIsStillUsed() throws IOException {
        StringBuilder sources = new StringBuilder();
        for (Path root : new Path[] {Path.of("src/main/java"), Path.of("fxml"), Path.of("src/main/jte")}) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().matches(".*\\.(java|fxml|jte)$")).toList()) {
                    sources.append(Files.readString(f)).append('\n');
                }
            }
        }
        String text = sources.toString();
        Set<String> unused = new TreeSet<>();
        for (String key : load("messages.properties").stringPropertyNames()) {
            if (!text.contains("\"" + key + "\"") && !text.contains("%" + key + "\"") && !builtFromPrefix(key, text)) {
                unused.add(key);
            }
        }
        assertThat(unused).as("keys no code, FXML or template uses").isEmpty();
    }

    private static boolean builtFromPrefix(String key, String text) {
        for (int dot = key.lastIndexOf('.'); dot > 0; dot = key.lastIndexOf('.', dot - 1)) {
            if (text.contains("\"" + key.substring(0, dot + 1) + "\"")) {
                return true;
            }
        }
        return false;
    }

    private static void collect(Path root, String suffix, Pattern pattern, Set<String> into) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(suffix)).toList()) {
                Matcher m = pattern.matcher(Files.readString(f));
                while (m.find()) {
                    into.add(m.group(1));
                }
            }
        }
    }

    private static Set<Integer> placeholders(String pattern) {
        Set<Integer> out = new TreeSet<>();
        MessageFormat format = new MessageFormat(pattern);
        for (int i = 0; i < format.getFormatsByArgumentIndex().length; i++) {
            out.add(i);
        }
        return out;
    }

    private static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(BUNDLES.resolve(name), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }
}
