package doorman.household;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * One person's record as the household shares it (retained on the broker under the person's household id):
 * in clear only what ordering needs (uid, version, door that made it, tombstone flag, key id); the content sealed
 * with the household key, with those clear fields authenticated so none can be changed on the way.
 * A tombstone (a removal) is sealed too, so only a household door can remove someone.
 */
public record PersonRecord(String uid, long version, String door, boolean deleted, String keyId, byte[] sealed) {

    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    public PersonRecord {
        if (uid == null || !uid.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))
            throw new IllegalArgumentException("a person record needs a household id (a UUID), got " + uid);
        if (version < 1) throw new IllegalArgumentException("a person record's version starts at 1, got " + version);
        if (door == null || !door.matches("[A-Za-z0-9_-]{1,64}"))
            throw new IllegalArgumentException("a person record names its door in one word, got " + door);
        if (keyId == null || !keyId.matches("[0-9a-f]{8}"))
            throw new IllegalArgumentException("a person record names its household key, got " + keyId);
        if (sealed == null) throw new IllegalArgumentException("a person record carries sealed content");
    }

    static PersonRecord seal(HouseholdKey key, String uid, long version, String door, PersonContent content) {
        byte[] plain = content == null ? "{}".getBytes(StandardCharsets.UTF_8) : content.json();
        boolean deleted = content == null;
        return new PersonRecord(uid, version, door, deleted, key.id(), key.seal(plain, context(uid, version, door, deleted)));
    }

    /** The content, or empty for a tombstone; {@link HouseholdKey.WrongKey} when this door's key cannot open it. */
    Optional<PersonContent> open(HouseholdKey key) throws HouseholdKey.WrongKey {
        if (!keyId.equals(key.id()))
            throw new HouseholdKey.WrongKey("it was sealed with household key " + keyId + " but this door has key " + key.id());
        byte[] plain = key.open(sealed, context(uid, version, door, deleted));
        return deleted ? Optional.empty() : Optional.of(PersonContent.parse(plain));
    }

    /** Whether this record wins over a state at {@code otherVersion} made by {@code otherDoor}: version, then door id. */
    boolean newerThan(long otherVersion, String otherDoor) {
        if (version != otherVersion) return version > otherVersion;
        return door.compareTo(otherDoor) > 0;
    }

    public byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("uid", uid);
        o.put("version", version);
        o.put("door", door);
        o.put("deleted", deleted);
        o.put("key", keyId);
        o.put("sealed", Base64.getEncoder().encodeToString(sealed));
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static PersonRecord parse(byte[] json) {
        try {
            JsonNode o = JSON.readTree(json);
            if (o == null || !o.isObject()) throw new IllegalArgumentException("not a JSON object");
            if (o.path("format").asInt() != FORMAT)
                throw new IllegalArgumentException("record format " + o.path("format") + ", this door reads format " + FORMAT);
            return new PersonRecord(o.path("uid").asText(null), o.path("version").asLong(0), o.path("door").asText(null),
                    o.path("deleted").asBoolean(false), o.path("key").asText(null),
                    Base64.getDecoder().decode(o.path("sealed").asText("")));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a person record: " + e.getMessage(), e);
        }
    }

    private static byte[] context(String uid, long version, String door, boolean deleted) {
        return ("doorman person record " + FORMAT + "\n" + uid + "\n" + version + "\n" + door + "\n" + deleted)
                .getBytes(StandardCharsets.UTF_8);
    }
}
