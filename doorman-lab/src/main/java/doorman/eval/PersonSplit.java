package doorman.eval;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Splits people, by name, into those training may see and those held out for testing. The split hashes the
 * name, so it needs no list on disk and every machine and command (train, calibrate, eval) agrees on it.
 */
public enum PersonSplit {
    ALL, TRAIN, HELDOUT;

    /** About this share of people are held out. */
    public static final double HELDOUT_SHARE = 0.3;

    public static boolean isHeldOut(String person) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("doorman-split:" + person).getBytes(StandardCharsets.UTF_8));
            int bucket = ((h[0] & 0xff) << 8) | (h[1] & 0xff);
            return bucket < HELDOUT_SHARE * 65536;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Predicate<String> people() {
        return switch (this) {
            case ALL -> p -> true;
            case TRAIN -> p -> !isHeldOut(p);
            case HELDOUT -> PersonSplit::isHeldOut;
        };
    }

    /** Keeps a pair only when both of its people (their images' folder names) are on this side. */
    public boolean keeps(FacePair pair) {
        return people().test(person(pair.first())) && people().test(person(pair.second()));
    }

    static String person(Path image) {
        Path folder = image.toAbsolutePath().normalize().getParent();
        return folder == null ? "" : folder.getFileName().toString();
    }

    public static PersonSplit parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown split '" + text + "' (use all, train or heldout)");
        }
    }
}
