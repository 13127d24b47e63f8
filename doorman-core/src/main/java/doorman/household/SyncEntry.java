package doorman.household;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What this door knows of one household person, stored in the gallery beside the person (same transaction):
 * the local person id (-1 once removed), the version and the door that made it, and the hash of that content.
 */
record SyncEntry(String uid, long localId, long version, String door, String hash, boolean deleted) {

    private static final byte FORMAT = 1;

    byte[] encode() {
        byte[] d = door.getBytes(StandardCharsets.UTF_8), h = hash.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + 1 + 4 + d.length + 4 + h.length);
        b.put(FORMAT).putLong(localId).putLong(version).put((byte) (deleted ? 1 : 0));
        b.putInt(d.length).put(d).putInt(h.length).put(h);
        return b.array();
    }

    static SyncEntry decode(String uid, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.get() != FORMAT) throw new IllegalStateException("sync entry " + uid + " in an unknown format");
        long localId = b.getLong(), version = b.getLong();
        boolean deleted = b.get() == 1;
        byte[] d = new byte[b.getInt()];
        b.get(d);
        byte[] h = new byte[b.getInt()];
        b.get(h);
        return new SyncEntry(uid, localId, version, new String(d, StandardCharsets.UTF_8), new String(h, StandardCharsets.US_ASCII), deleted);
    }
}
