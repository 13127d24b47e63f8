package doorman.household;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import doorman.gallery.Gallery;
import doorman.gallery.Person;
import doorman.gallery.Template;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Everything the household shares about one person: name, enabled, schedule and templates (by encoder and photo
 * hash, with the embedding). Local ids and times stay local. {@link #json()} is canonical (templates sorted), so
 * equal content has an equal {@link #hash()} on every door.
 */
record PersonContent(String name, boolean enabled, String schedule, List<TemplateContent> templates) {

    record TemplateContent(String encoder, String sha256, double quality, float[] embedding) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    PersonContent {
        templates = templates.stream()
                .sorted(Comparator.comparing(TemplateContent::encoder).thenComparing(TemplateContent::sha256)).toList();
    }

    /** The person's content in the local gallery, or empty when they are gone. */
    static Optional<PersonContent> of(Gallery gallery, long personId) {
        Optional<Person> person = gallery.person(personId);
        if (person.isEmpty()) return Optional.empty();
        try {
            List<TemplateContent> templates = new ArrayList<>();
            for (Template t : gallery.templates(personId))
                templates.add(new TemplateContent(t.encoder(), t.sourceSha256(), t.quality(), t.embedding().toArray()));
            return Optional.of(new PersonContent(person.get().name(), person.get().enabled(),
                    gallery.schedule(personId).orElse(null), templates));
        } catch (java.util.NoSuchElementException removedMeanwhile) {
            return Optional.empty();
        }
    }

    byte[] json() {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", name);
        o.put("enabled", enabled);
        if (schedule == null) o.putNull("schedule");
        else o.put("schedule", schedule);
        ArrayNode list = o.putArray("templates");
        for (TemplateContent t : templates) {
            ObjectNode n = list.addObject();
            n.put("encoder", t.encoder());
            n.put("sha256", t.sha256());
            n.put("quality", t.quality());
            ByteBuffer bytes = ByteBuffer.allocate(4 * t.embedding().length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : t.embedding()) bytes.putFloat(v);
            n.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
        }
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    static PersonContent parse(byte[] json) {
        try {
            JsonNode o = JSON.readTree(json);
            List<TemplateContent> templates = new ArrayList<>();
            for (JsonNode n : o.withArray("templates")) {
                ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(n.get("embedding").asText()))
                        .order(ByteOrder.LITTLE_ENDIAN);
                if (bytes.remaining() % 4 != 0) throw new IllegalArgumentException("an embedding of " + bytes.remaining() + " bytes");
                float[] values = new float[bytes.remaining() / 4];
                for (int i = 0; i < values.length; i++) values[i] = bytes.getFloat();
                templates.add(new TemplateContent(text(n, "encoder"), text(n, "sha256"), n.get("quality").asDouble(), values));
            }
            JsonNode schedule = o.get("schedule");
            return new PersonContent(text(o, "name"), o.get("enabled").asBoolean(),
                    schedule == null || schedule.isNull() ? null : schedule.asText(), templates);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("a person record's content is malformed: " + e.getMessage(), e);
        }
    }

    String hash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode o, String key) {
        JsonNode v = o.get(key);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException("'" + key + "' is missing");
        return v.asText();
    }
}
