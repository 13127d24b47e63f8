package doorman.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads {@code doorman.yaml}: the file's tree is laid over the defaults' tree, then bound strictly (unknown keys,
 * duplicate keys, nulls for numbers and fractions for whole numbers all fail), and each section checks its ranges.
 * Jackson's errors are turned into one line that names the key.
 */
final class ConfigLoader {

    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder().build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final ObjectMapper BINDER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .addModule(new SimpleModule().addSerializer(Path.class, ToStringSerializer.instance))
            .build();

    private ConfigLoader() {
    }

    static DoormanConfig load(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file (copy deploy/doorman.example.yaml there to start)", e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(text, name, base);
    }

    static DoormanConfig parse(String yaml, String source, Path base) {
        JsonNode given;
        try {
            given = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": not valid YAML" + at(e) + ": " + e.getOriginalMessage(), e);
        }
        ObjectNode merged = BINDER.valueToTree(DoormanConfig.defaults());
        if (given != null && !given.isMissingNode() && !given.isNull()) {
            if (!given.isObject())
                throw new ConfigException(source + ": the top level must be a mapping of keys such as 'lock:' and 'camera:'", null);
            overlay(merged, (ObjectNode) given, "", source);
        }
        try {
            DoormanConfig config = BINDER.treeToValue(merged, DoormanConfig.class);
            return base == null ? config : config.resolvedAgainst(base);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(source + ": unknown key '" + path(e) + "'" + suggestion(e), e);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ConfigException(source + ": " + cause.getMessage(), e);
        } catch (InvalidFormatException e) {
            throw new ConfigException(source + ": " + path(e) + " " + expected(e.getTargetType())
                    + ", got '" + e.getValue() + "'", e);
        } catch (MismatchedInputException e) {
            throw new ConfigException(source + ": " + path(e) + " " + expected(e.getTargetType()) + given(merged, e), e);
        } catch (JsonMappingException e) {
            throw new ConfigException(source + ": " + path(e) + ": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Lays the user's keys over the defaults: mappings merge key by key, anything else replaces. */
    private static void overlay(ObjectNode target, ObjectNode given, String prefix, String source) {
        for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode current = target.get(field.getKey());
            JsonNode value = field.getValue();
            if (current != null && current.isObject()) {
                if (!value.isObject())
                    throw new ConfigException(source + ": '" + prefix + field.getKey() + "' must be a mapping of keys, got "
                            + (value.isNull() ? "nothing" : "'" + value.asText() + "'"), null);
                overlay((ObjectNode) current, (ObjectNode) value, prefix + field.getKey() + ".", source);
            } else {
                target.set(field.getKey(), value);
            }
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** The offending scalar as the file gave it, when there is one to show. */
    private static String given(JsonNode root, JsonMappingException e) {
        JsonNode node = root;
        for (JsonMappingException.Reference r : e.getPath()) {
            if (node == null) return "";
            node = r.getFieldName() != null ? node.get(r.getFieldName()) : node.get(r.getIndex());
        }
        if (node == null || node.isContainerNode()) return "";
        return node.isNull() ? ", got nothing" : ", got '" + node.asText() + "'";
    }

    private static String suggestion(UnrecognizedPropertyException e) {
        Collection<Object> known = e.getKnownPropertyIds();
        if (known == null || known.isEmpty()) return "";
        String wrong = String.valueOf(e.getPropertyName());
        String prefix = path(e);
        prefix = prefix.contains(".") ? prefix.substring(0, prefix.lastIndexOf('.') + 1) : "";
        String best = known.stream().map(String::valueOf)
                .min(Comparator.comparingInt(k -> distance(normal(k), normal(wrong)))).orElseThrow();
        if (distance(normal(best), normal(wrong)) <= Math.max(2, wrong.length() / 3))
            return " (did you mean '" + prefix + best + "'?)";
        return " (known keys here: " + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
    }

    private static String normal(String key) {
        return key.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String expected(Class<?> type) {
        if (type == null) return "has the wrong type";
        if (type.isEnum())
            return "must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> BINDER.convertValue(c, String.class)).collect(Collectors.joining(", "));
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class)
            return "must be a whole number";
        if (type == double.class || type == Double.class) return "must be a number";
        if (type == boolean.class || type == Boolean.class) return "must be true or false";
        if (type == String.class || type == Path.class) return "must be a text value";
        if (Collection.class.isAssignableFrom(type)) return "must be a list";
        return "must be a " + type.getSimpleName();
    }

    private static String at(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
    }
}
