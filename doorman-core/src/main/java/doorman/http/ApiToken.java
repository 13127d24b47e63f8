package doorman.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The bearer token that guards the API. Made once from 32 SecureRandom bytes and kept in
 * {@code <data-dir>/api-token}, readable by the owner only.
 */
public final class ApiToken {

    public static final String FILE_NAME = "api-token";
    private static final Logger log = LoggerFactory.getLogger(ApiToken.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{32,256}");

    private final byte[] digest;
    private final Path file;

    private ApiToken(String token, Path file) {
        this.digest = sha256(token);
        this.file = file;
    }

    /**
     * Reads the token from {@code dataDir}, or makes one there on first start and prints it once to
     * {@code out} (the only time it is shown). Fails with a message naming the file when it is malformed.
     */
    public static ApiToken loadOrCreate(Path dataDir, PrintStream out) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            Files.createDirectories(dataDir);
            String token = newToken();
            if (writeOwnerOnly(file, token)) {
                log.info("Made a new API token in {}", file.toAbsolutePath());
                out.println("API token (shown once, also kept in " + file.toAbsolutePath() + "): " + token);
                out.flush();
                return new ApiToken(token, file);
            }
        }
        tightenPermissions(file);
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!WELL_FORMED.matcher(token).matches())
            throw new IOException(file.toAbsolutePath() + " does not hold a token (32 to 256 base64url characters);"
                    + " delete it to have a new one made");
        log.info("API token read from {}", file.toAbsolutePath());
        return new ApiToken(token, file);
    }

    /** Compares in constant time: both sides are hashed first so even their lengths are not compared. */
    public boolean matches(String presented) {
        if (presented == null) return false;
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    public Path file() {
        return file;
    }

    static String newToken() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /**
     * Writes a temporary owner-only file and links it into place, so no reader ever sees a partial token
     * nor a moment with wider permissions. Returns false when another process made the file first.
     */
    private static boolean writeOwnerOnly(Path file, String token) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".api-token", ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
            try {
                Files.createLink(file, tmp); // link(2) fails if the name exists: a second starter cannot overwrite
            } catch (UnsupportedOperationException e) {
                Files.move(tmp, file);
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void tightenPermissions(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(perms)) {
            log.warn("{} was readable by others ({}); restricting it to its owner",
                    file.toAbsolutePath(), PosixFilePermissions.toString(perms));
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ApiToken[" + file + "]";
    }
}
