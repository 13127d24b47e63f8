package doorman.gallery;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * AES-256-GCM sealing of the gallery's records. The record's kind and ids are the associated data, so a sealed
 * record copied under another key, or moved to another person, fails its tag like any flipped bit does: the tag
 * is the per-record integrity check as well as the encryption. A sealed record is
 * {@code [layout][clear header][12-byte nonce][ciphertext + 16-byte tag]}; the only clear header is a
 * template's person id, needed to pick the key.
 */
final class RecordSeal {

    static final byte LAYOUT = 2;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private RecordSeal() {
    }

    /** The sealed record's tag or layout did not check out. */
    static final class BrokenSeal extends Exception {
        BrokenSeal(String message) {
            super(message);
        }
    }

    static byte[] sealPerson(long personId, byte[] key, byte[] plain) {
        return seal(key, new byte[0], aad("person", personId, 0), plain);
    }

    static byte[] openPerson(long personId, byte[] key, byte[] sealed) throws BrokenSeal {
        return open(key, sealed, 0, aad("person", personId, 0));
    }

    static byte[] sealSchedule(long personId, byte[] key, String schedule) {
        return seal(key, new byte[0], aad("schedule", personId, 0), schedule.getBytes(StandardCharsets.UTF_8));
    }

    static String openSchedule(long personId, byte[] key, byte[] sealed) throws BrokenSeal {
        return new String(open(key, sealed, 0, aad("schedule", personId, 0)), StandardCharsets.UTF_8);
    }

    static byte[] sealTemplate(long templateId, long personId, byte[] key, byte[] plain) {
        return seal(key, ByteBuffer.allocate(8).putLong(personId).array(), aad("template", templateId, personId), plain);
    }

    /** The person a sealed template claims to belong to (checked by the tag when it is opened). */
    static long templateOwner(byte[] sealed) throws BrokenSeal {
        if (sealed.length < 1 + 8 || sealed[0] != LAYOUT) throw new BrokenSeal("unknown layout");
        return ByteBuffer.wrap(sealed, 1, 8).getLong();
    }

    static byte[] openTemplate(long templateId, byte[] key, byte[] sealed) throws BrokenSeal {
        return open(key, sealed, 8, aad("template", templateId, templateOwner(sealed)));
    }

    /**
     * A template's thumbnail (a small JPEG of the aligned face), sealed like the template under the person's key,
     * so removing the person shreds it too. The clear header is the person id, as for a template.
     */
    static byte[] sealThumbnail(long templateId, long personId, byte[] key, byte[] jpeg) {
        return seal(key, ByteBuffer.allocate(8).putLong(personId).array(), aad("thumbnail", templateId, personId), jpeg.clone());
    }

    static byte[] openThumbnail(long templateId, byte[] key, byte[] sealed) throws BrokenSeal {
        return open(key, sealed, 8, aad("thumbnail", templateId, templateOwner(sealed)));
    }

    /** The name index entry: a keyed hash, so the index reveals neither names nor which names are alike. */
    static String nameIndexKey(byte[] indexKey, String nameKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(indexKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(nameKey.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    private static byte[] aad(String kind, long id, long owner) {
        return ("doorman-gallery " + kind + " " + id + " " + owner).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] seal(byte[] key, byte[] header, byte[] aad, byte[] plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            byte[] sealed = cipher.doFinal(plain);
            ByteBuffer out = ByteBuffer.allocate(1 + header.length + NONCE_BYTES + sealed.length);
            out.put(LAYOUT).put(header).put(nonce).put(sealed);
            return out.array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable: " + e, e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static byte[] open(byte[] key, byte[] sealed, int headerBytes, byte[] aad) throws BrokenSeal {
        int start = 1 + headerBytes;
        if (sealed.length < start + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != LAYOUT) throw new BrokenSeal("unknown layout or too short");
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, sealed, start, NONCE_BYTES));
            cipher.updateAAD(aad);
            return cipher.doFinal(sealed, start + NONCE_BYTES, sealed.length - start - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new BrokenSeal("its integrity tag does not match (altered, or sealed for another record)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable: " + e, e);
        }
    }
}
