package doorman.household;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The secret every door of one household shares out of band ({@code doorman household init} on the first door,
 * {@code join} on the others): 256 random bits in {@code <data-dir>/household.key} (mode 0600). Enrollment records
 * are sealed with it (AES-256-GCM), so the broker and anyone listening there see neither faces nor names, and a
 * record cannot be forged or altered, a removal included. {@link #id()} names the key without revealing it.
 */
public final class HouseholdKey {

    public static final String FILE = "household.key";
    private static final int BYTES = 32, NONCE = 12, TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Opening failed: the record was sealed with another key, or altered on the way. */
    public static final class WrongKey extends Exception {
        WrongKey(String message) {
            super(message);
        }
    }

    private final byte[] key;
    private final String id;

    private HouseholdKey(byte[] key) {
        if (key.length != BYTES) throw new IllegalArgumentException("a household key has " + BYTES + " bytes, got " + key.length);
        this.key = key.clone();
        this.id = fingerprint(key);
    }

    public static HouseholdKey generate() {
        byte[] k = new byte[BYTES];
        RANDOM.nextBytes(k);
        return new HouseholdKey(k);
    }

    /** Parses the text form ({@link #text()}); a wrong one gets a message saying what a key looks like. */
    public static HouseholdKey parse(String text) {
        byte[] k;
        try {
            k = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a household key (expected the 44-character text 'doorman household init' printed)");
        }
        if (k.length != BYTES)
            throw new IllegalArgumentException("not a household key (expected the 44-character text 'doorman household init' printed)");
        return new HouseholdKey(k);
    }

    public static Optional<HouseholdKey> load(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) return Optional.empty();
        try {
            return Optional.of(parse(Files.readString(file, StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the key file (mode 0600); refuses to replace an existing one, which would leave the household. */
    public void save(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(file + " already exists (this door is in household "
                    + load(dataDir).map(HouseholdKey::id).orElse("?") + "); remove it first to change households");
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, text() + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** The key as text, to copy to the other doors. It is the secret itself. */
    public String text() {
        return Base64.getEncoder().encodeToString(key);
    }

    /** A short public name of the key: 8 hex digits of a hash, the same on every door of the household. */
    public String id() {
        return id;
    }

    /** nonce (12 bytes) followed by the AES-GCM ciphertext and tag; {@code context} is authenticated, not hidden. */
    byte[] seal(byte[] plain, byte[] context) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, nonce);
            c.updateAAD(context);
            byte[] sealed = c.doFinal(plain);
            byte[] out = Arrays.copyOf(nonce, NONCE + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e, e);
        }
    }

    byte[] open(byte[] sealed, byte[] context) throws WrongKey {
        if (sealed.length < NONCE + TAG_BITS / 8) throw new WrongKey("the sealed data is too short");
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(sealed, NONCE));
            c.updateAAD(context);
            return c.doFinal(sealed, NONCE, sealed.length - NONCE);
        } catch (AEADBadTagException e) {
            throw new WrongKey("it does not open with this household key (another key, or altered)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e, e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        return c;
    }

    private static String fingerprint(byte[] key) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update("doorman household key id".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(d.digest(key), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
